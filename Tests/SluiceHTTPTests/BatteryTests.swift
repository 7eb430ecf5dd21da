// The request battery every adapter runs, against HTTPBattery as a process, with curl (Spec HTTP-1, REQ-*, BODY-*).

import Foundation
import IntegrationSupport
import Testing

@Suite("Request battery over HTTP")
struct BatteryTests {
    /// The `key: value` lines of an echo report.
    static func facts(_ response: HTTPResponse) -> [String: String] {
        var facts: [String: String] = [:]
        for line in response.text.split(separator: "\n") where !line.hasPrefix("header: ") {
            let parts = line.split(separator: ":", maxSplits: 1)
            facts[String(parts[0])] = parts.count == 2 ? String(parts[1].dropFirst()) : ""
        }
        return facts
    }

    /// FNV-1a of `data`, as HTTPBattery computes it.
    static func fnv1a(_ data: Data) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }

    @Test("[HTTP-1] [REQ-4] [REQ-5] unicode and percent-encoded paths decode; the raw target and query are kept")
    func pathsAndQueries() async throws {
        let server = try await BatteryServer.start()
        let response = try await Curl.fetch(server.url("/w%C3%B6rld/a%2Fb?x=1&x=2&empty=&flag"))
        let facts = Self.facts(response)
        #expect(facts["scriptName"] == "")
        #expect(facts["pathInfo"] == "/wörld/a/b")
        #expect(facts["target"] == "/w%C3%B6rld/a%2Fb?x=1&x=2&empty=&flag")
        #expect(facts["queryString"] == "x=1&x=2&empty=&flag")
        let dots = try await Curl.fetch(CurlRequest(server.url("/a/%2e%2e/b/./c"), sendsPathAsIs: true))
        #expect(Self.facts(dots)["pathInfo"] == "/b/c")
    }

    @Test("[HTTP-1] [REQ-8] [REQ-10] server name and port come from Host, the remote address from the peer")
    func addresses() async throws {
        let server = try await BatteryServer.start()
        let named = Self.facts(try await Curl.fetch(CurlRequest(server.url("/"), headers: [.init(name: "Host", value: "example.com:8443")])))
        #expect(named["serverName"] == "example.com")
        #expect(named["serverPort"] == "8443")
        #expect(named["serverProtocol"] == "HTTP/1.1")
        #expect(named["remoteAddress"] == "127.0.0.1")
        #expect(named["remotePort"].flatMap { Int($0) } != nil)
        let bare = Self.facts(try await Curl.fetch(CurlRequest(server.url("/"), headers: [.init(name: "Host", value: "example.com")])))
        #expect(bare["serverName"] == "example.com")
        #expect(bare["serverPort"] == "80")
    }

    @Test("[SEC-6] forwarding fields do not change the remote address, scheme or server name")
    func forwardingNotTrusted() async throws {
        let server = try await BatteryServer.start()
        let facts = Self.facts(
            try await Curl.fetch(
                CurlRequest(
                    server.url("/"),
                    headers: [
                        .init(name: "X-Forwarded-For", value: "203.0.113.9"), .init(name: "X-Forwarded-Proto", value: "https"),
                        .init(name: "Forwarded", value: "for=203.0.113.9;proto=https;host=evil.example"),
                        .init(name: "X-Forwarded-Host", value: "evil.example"),
                    ])))
        #expect(facts["remoteAddress"] == "127.0.0.1")
        #expect(facts["serverName"] == "127.0.0.1")
    }

    @Test("[REQ-6] header fields arrive in order, repeats kept separate")
    func headerOrder() async throws {
        // Without serve's request id, which adds X-Request-ID to a request that has none.
        let server = try await BatteryServer.start(["--request-id-header", ""])
        let response = try await Curl.fetch(
            CurlRequest(
                server.url("/"),
                headers: [
                    .init(name: "X-B", value: "1"), .init(name: "X-A", value: "2"), .init(name: "X-B", value: "3"),
                ]))
        let fields = response.text.split(separator: "\n").filter { $0.hasPrefix("header: X-") }
        #expect(fields == ["header: X-B: 1", "header: X-A: 2", "header: X-B: 3"])
    }

    @Test("[HTTP-2] [REQ-12] [BODY-7] a chunked upload streams to the application with unknown length, framing removed")
    func chunkedUpload() async throws {
        let server = try await BatteryServer.start()
        let data = Data((0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        let facts = Self.facts(try await Curl.fetch(CurlRequest(server.url("/up"), body: .bytes(data, chunked: true))))
        #expect(facts["expectedLength"] == "unknown")
        #expect(facts["bodyLength"] == "300000")
        #expect(facts["bodyFNV1a"] == Self.fnv1a(data))
    }

    @Test("[BODY-6] curl's Expect: 100-continue gets 100 once the application reads the body")
    func continueWhenRead() async throws {
        let server = try await BatteryServer.start()
        let data = Data(repeating: 0x61, count: 2_000_000)
        let response = try await Curl.fetch(
            CurlRequest(
                server.url("/up"), body: .bytes(data), extraArguments: ["--expect100-timeout", "10"]
            ))
        #expect(response.interimStatusLines.map { $0.hasPrefix("HTTP/1.1 100") } == [true])
        #expect(Self.facts(response)["bodyLength"] == "2000000")
    }

    @Test("[BODY-6] [BODY-5] an application that answers without reading gets no 100 and the connection closes")
    func noContinueWhenUnread() async throws {
        let server = try await BatteryServer.start()
        let reply = try await RawSocket.exchange(
            "POST /memory HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\nExpect: 100-continue\r\n\r\n", port: server.port
        )
        #expect(reply.statusCodes == [200])
        #expect(reply.text.contains("Connection: close"))
        #expect(reply.serverClosed)
    }

    @Test("[BODY-5] an unread small body is discarded and the connection kept")
    func unreadBodyDiscarded() async throws {
        let server = try await BatteryServer.start()
        let requests =
            "POST /memory HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello"
            + "GET /after HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
        let reply = try await RawSocket.exchange(requests, port: server.port)
        #expect(reply.statusCodes == [200, 200])
        #expect(reply.text.contains("target: /after"))
    }

    @Test("[BODY-2] [RESP-15] a 64 MiB upload and download pass with flat memory")
    func largeBodiesFlatMemory() async throws {
        let server = try await BatteryServer.start(["--max-body-bytes", String(100 << 20)])
        let before = try await peakResidentKiB(server)
        let size = 64 << 20
        let file = server.directory.appending("upload")
        try PatternBytes.data(count: size).write(to: file)
        let upload = Self.facts(try await Curl.fetch(CurlRequest(server.url("/up"), body: .file(file), maxTime: .seconds(60))))
        #expect(upload["bodyLength"] == String(size))
        let download = try await Curl.fetch(CurlRequest(server.url("/download?bytes=\(size)"), maxTime: .seconds(60)))
        #expect(download.body.count == size)
        #expect(download.body.prefix(3) == Data("abc".utf8))
        let after = try await peakResidentKiB(server)
        #expect(after - before < 64 * 1024, "peak RSS grew from \(before) KiB to \(after) KiB")
    }

    private func peakResidentKiB(_ server: BatteryServer) async throws -> Int {
        let report = try await Curl.fetch(server.url("/memory")).text
        let line = try #require(report.split(separator: "\n").first { $0.hasPrefix("VmHWM: ") })
        return try #require(Int(line.dropFirst(7)))
    }
}
