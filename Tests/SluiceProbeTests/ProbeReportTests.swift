// The probe's report: every request field, as the test server filled it.

import Foundation
import Sluice
import SluiceProbe
import SluiceTesting
import Testing

@Suite("The probe's report")
struct ProbeReportTests {
    let client = TestClient(Probe())

    @Test("[REQ-2][REQ-3][REQ-4] the target as sent, the decoded path split at the mount, unicode escaped")
    func encodedPaths() async throws {
        let response = try await client.get("/app/caf%C3%A9/a%2Fb/%F0%9F%98%80").mounted(at: "/app").send()
        let report = try Report(response)
        #expect(response.status == .ok)
        #expect(response.headers["Content-Type"] == "application/json")
        #expect(report.string("target") == "/app/caf%C3%A9/a%2Fb/%F0%9F%98%80")
        #expect(report.string("scriptName") == "/app")
        #expect(report.string("pathInfo") == "/café/a/b/😀")
        #expect(response.text.contains(#""pathInfo": "/caf\u00e9/a/b/\ud83d\ude00""#))
        #expect(response.body.allSatisfy { $0 < 0x80 })
    }

    @Test("[REQ-1][REQ-5][REQ-8][REQ-9][REQ-10] method, raw query with repeated keys, server and client")
    func requestFields() async throws {
        let response = try await client.request("PROPFIND", "/q?a=1&a=2&b=%20x+y&a")
            .scheme("https").host("example.org", port: 8443).remote(address: "::1", port: 5000).send()
        let report = try Report(response)
        #expect(report.string("method") == "PROPFIND")
        #expect(report.string("queryString") == "a=1&a=2&b=%20x+y&a")
        #expect(report.string("serverName") == "example.org")
        #expect(report.number("serverPort") == 8443)
        #expect(report.string("serverProtocol") == "HTTP/1.1")
        #expect(report.string("scheme") == "https")
        #expect(report.string("remoteAddress") == "::1")
        #expect(report.number("remotePort") == 5000)
        #expect(report.string("spec") == Probe.specVersion)
        #expect(report.number("probe") == Probe.formatVersion)
        #expect(report.member("capabilities")["supportsTrailers"] as? Bool == true)
    }

    @Test("[REQ-6] repeated header fields are reported in order, each as its own pair")
    func repeatedHeaders() async throws {
        let response = try await client.get("/")
            .header("X-Tag", "one").header("Accept", "*/*").header("x-tag", "two, three").send()
        let report = try Report(response)
        #expect(report.headers == [["Host", "localhost"], ["X-Tag", "one"], ["Accept", "*/*"], ["x-tag", "two, three"]])
    }

    @Test("[REQ-12][BODY-3] a 1 MiB body streamed in odd chunks: length, chunks and SHA-256 as sha256sum computes it")
    func largeBodyDigest() async throws {
        let bytes = sampleBytes(1 << 20)
        let upload = RequestBodyStream()
        let writer = Task {
            for start in stride(from: 0, to: bytes.count, by: 3001) {
                try await upload.write(Array(bytes[start..<min(start + 3001, bytes.count)]))
            }
            upload.finish()
        }
        let response = try await client.post("/upload").body(upload, length: bytes.count).send()
        try await writer.value
        let body = try Report(response).member("body")
        #expect(body["expectedLength"] as? Int == bytes.count)
        #expect(body["bytesRead"] as? Int == bytes.count)
        #expect(body["chunks"] as? Int == (bytes.count + 3000) / 3001)
        #expect(body["sha256"] as? String == (try sha256sum(bytes)))
        var fnv = FNV1a64()
        fnv.update(bytes)
        #expect(body["fnv1a64"] as? String == fnv.hexDigest)
        #expect(body["error"] is NSNull)
    }

    @Test("[BODY-5] X-Probe-Body: ignore leaves the body unread")
    func ignoredBody() async throws {
        let response = try await client.post("/").header("X-Probe-Body", "ignore").body("unread").send()
        let body = try Report(response).member("body")
        #expect(body["ignored"] as? Bool == true)
        #expect(body["bytesRead"] as? Int == 0)
        #expect(body["expectedLength"] as? Int == 6)
    }

    @Test("the report's JSON escapes quotes, backslashes, control characters and non-ASCII")
    func stringEscaping() {
        let value = JSON.object([("text", .string("\"\\\n\t\u{1}\u{7f}é😀")), ("list", .array([.number(1), .null, .bool(true)]))])
        #expect(value.text == "{\n  \"text\": \"\\\"\\\\\\n\\t\\u0001\\u007f\\u00e9\\ud83d\\ude00\",\n  \"list\": [1, null, true]\n}\n")
    }

    @Test("SHA-256 matches the FIPS 180-4 examples, fed whole and in pieces")
    func sha256Vectors() {
        var empty = SHA256()
        empty.update([])
        #expect(empty.hexDigest == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        var abc = SHA256()
        abc.update(Array("abc".utf8))
        #expect(abc.hexDigest == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        var pieces = SHA256()
        let twoBlocks = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        for start in stride(from: 0, to: twoBlocks.count, by: 7) {
            pieces.update(Array(twoBlocks[start..<min(start + 7, twoBlocks.count)]))
        }
        #expect(pieces.hexDigest == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test("/_probe/memory reports the resident set on Linux")
    func memory() async throws {
        let report = try Report(try await client.get("/_probe/memory").send())
        #if os(Linux)
        #expect((report.number("peakResidentKiB") ?? 0) > 0)
        #endif
        #expect(report["residentKiB"] != nil)
    }
}
