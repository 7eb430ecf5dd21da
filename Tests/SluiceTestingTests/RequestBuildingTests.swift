// The test server builds each Request the way an HTTP/1.1 server would.

import Sluice
import SluiceTesting
import Testing

@Suite("The request the test server hands over")
struct RequestBuildingTests {
    let client = TestClient(inspector)

    @Test("[REQ-2] [REQ-4] [REQ-5] [HTTP-1] target as given, pathInfo its decoded path, query raw")
    func targetPathAndQuery() async throws {
        let response = try await client.get("/a%20b/./c/../d%2Fe?x=%20y&z").send()
        let lines = response.text.split(separator: "\n")
        #expect(lines.contains("target: /a%20b/./c/../d%2Fe?x=%20y&z"))
        #expect(lines.contains("scriptName: "))
        #expect(lines.contains("pathInfo: /a b/d/e"))
        #expect(lines.contains("queryString: x=%20y&z"))
        #expect(lines.contains("serverProtocol: HTTP/1.1"))
    }

    @Test("[MOUNT-2] [REQ-3] a mount moves its prefix to scriptName")
    func mounted() async throws {
        let response = try await client.get("/api/users?page=2").mounted(at: "/api/").send()
        let lines = response.text.split(separator: "\n")
        #expect(lines.contains("scriptName: /api"))
        #expect(lines.contains("pathInfo: /users"))
        #expect(lines.contains("target: /api/users?page=2"))
    }

    @Test("[MOUNT-1] a target outside the mount is a test error, not a request")
    func outsideMount() async throws {
        await #expect(throws: TestClientError.self) {
            try await client.get("/apix").mounted(at: "/api").send()
        }
    }

    @Test("[REQ-6] header fields keep their order, case and repeats, after Host")
    func headerOrder() async throws {
        let response = try await client.get("/")
            .header("x-b", "1").header("X-A", "2").header("x-b", "3")
            .send()
        #expect(response.text.hasSuffix("Host: localhost\nx-b: 1\nX-A: 2\nx-b: 3"))
    }

    @Test("[REQ-12] a fixed body declares Content-Length and expectedLength")
    func fixedBodyLength() async throws {
        let response = try await client.post("/").body("12345").send()
        #expect(response.text.contains("expectedLength: 5\n"))
        #expect(response.text.hasSuffix("Content-Length: 5"))
    }

    @Test("[REQ-12] a request without a body has length 0 and no framing field")
    func noBody() async throws {
        let response = try await client.get("/").send()
        #expect(response.text.contains("expectedLength: 0\n"))
        #expect(response.text.hasSuffix("Host: localhost"))
    }

    @Test("[REQ-12] a streamed body is chunked and of unknown length")
    func streamedBodyLength() async throws {
        let upload = RequestBodyStream()
        upload.finish()
        let response = try await client.post("/").body(upload).send()
        #expect(response.text.contains("expectedLength: none\n"))
        #expect(response.text.hasSuffix("Transfer-Encoding: chunked"))
    }

    @Test("[REQ-8] [REQ-9] [REQ-10] scheme, host and client address as the test sets them")
    func schemeHostRemote() async throws {
        let response = try await client.get("/")
            .scheme("https").host("example.org").remote(address: "192.0.2.7", port: 50123)
            .send()
        let lines = response.text.split(separator: "\n")
        #expect(lines.contains("scheme: https"))
        #expect(lines.contains("serverName: example.org"))
        #expect(lines.contains("serverPort: 443"))
        #expect(lines.contains("remoteAddress: 192.0.2.7"))
        #expect(lines.contains("remotePort: 50123"))
        #expect(lines.contains("Host: example.org"))
    }

    @Test("[REQ-8] a host with a port, and an IPv6 host in brackets")
    func hostWithPort() async throws {
        let response = try await client.get("/").host("::1", port: 8080).send()
        let lines = response.text.split(separator: "\n")
        #expect(lines.contains("serverName: ::1"))
        #expect(lines.contains("serverPort: 8080"))
        #expect(lines.contains("Host: [::1]:8080"))
    }

    @Test("[REQ-14] the test server declares what it does")
    func capabilities() async throws {
        let seen = Box<ServerCapabilities?>(nil)
        let app = App { request in
            seen.value = request.capabilities
            return .text("ok")
        }
        _ = try await TestClient(app).get("/").send()
        #expect(seen.value == TestClient.capabilities)
        #expect(seen.value?.supportsTrailers == true)
        #expect(seen.value?.supportsInformationalResponses == true)
        #expect(seen.value?.streamsRequestBody == true)
    }

    @Test("[APP-4] RequestContext.current is the request's context while the app and its body run")
    func currentContext() async throws {
        let matches = Box<[Bool]>([])
        let app = App { request in
            matches.update { $0.append(RequestContext.current === request.context) }
            return .streamed { writer in
                matches.update { $0.append(RequestContext.current === request.context) }
                try await writer.write("ok")
            }
        }
        _ = try await TestClient(app).get("/").send()
        #expect(matches.value == [true, true])
    }

    @Test(
        "[REQ-15] a target whose path may not reach an application is answered 400, the application not called",
        arguments: [
            "/x/%2e%2e%2f%2e%2e%2fetc/passwd", "/a%2Fb/..", "/x%00", "/x%0d%0a",
        ])
    func refusedTarget(target: String) async throws {
        let called = Box(false)
        let app = App { _ in
            called.value = true
            return .text("called")
        }
        let response = try await TestClient(app).get(target).send()
        #expect(response.status == .badRequest)
        #expect(!called.value)
        #expect(response.loggedErrors.contains { $0.contains("refused") })
    }
}
