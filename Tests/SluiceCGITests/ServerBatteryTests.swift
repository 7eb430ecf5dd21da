// The CGIBattery program behind real front servers — Apache httpd (mod_cgid) and lighttpd
// (mod_cgi) on 127.0.0.1 — asked by the real curl. What each server does differently is in
// Docs/cgi.md; the expectations below say where they differ.

import Foundation
import IntegrationSupport
import Testing

@Suite("CGI behind Apache and lighttpd")
struct ServerBatteryTests {
    @Test(
        "[CGI-3] [CGI-7] [CGI-9] [CGI-11] [REQ-4] [REQ-5] [RESP-6] [RESP-9] [SEC-1] [ERR-1] the battery through Apache mod_cgid",
        .requires(.apache2, .curl)
    )
    func apache() async throws {
        try await Battery<ApacheCGIHost>(localRedirectIsFollowed: true, chunkedBodyHasLength: false).run()
    }

    @Test(
        "[CGI-3] [CGI-7] [CGI-9] [CGI-11] [REQ-4] [REQ-5] [RESP-6] [RESP-9] [SEC-1] [ERR-1] the battery through lighttpd mod_cgi",
        .requires(.lighttpd, .curl)
    )
    func lighttpd() async throws {
        // lighttpd applies local redirects only with `cgi.local-redir = "enable"`, and never back
        // below the program's own path: the client gets a 302 to follow instead.
        try await Battery<LighttpdCGIHost>(localRedirectIsFollowed: false, chunkedBodyHasLength: true).run()
    }
}

/// The requests, and what the program must have seen, through one server.
struct Battery<Host: CGIHost> {
    /// Whether the server re-runs the request for a local redirect's path (RFC 3875 6.2.2).
    var localRedirectIsFollowed: Bool
    /// Whether the server spools a chunked upload and passes its CONTENT_LENGTH; otherwise it
    /// streams it with none, and the program reads to end of file.
    var chunkedBodyHasLength: Bool

    func run() async throws {
        let directory = try TemporaryDirectory()
        // The server's worker user (www-data) runs the program: a copy in a directory it can reach.
        let program = directory.appending("battery.cgi")
        try FileManager.default.copyItem(atPath: try BuiltProgram("CGIBattery").path, toPath: program.path)
        chmod(program.path, 0o755)
        let server = try await Host.start(program: program, in: directory)
        defer { server.stop() }

        try await paths(server)
        try await upload(server)
        try await chunkedUpload(server)
        try await streaming(server)
        try await head(server)
        try await redirects(server)
        try await proxyHeader(server)
        try await authorization(server)
        try await failure(server)
    }

    /// Unicode, an encoded slash, empty and repeated query keys.
    func paths(_ server: RunningServer) async throws {
        let response = try await Curl.fetch(server.url("/w%C3%B6rld/a%2Fb?x=&x=2&y"))
        let report = Report(response)
        #expect(response.status == 200, "\(server.logReport())")
        #expect(report["target"] == "/app/w%C3%B6rld/a%2Fb?x=&x=2&y")
        #expect(report["scriptName"] == "/app")
        // Apache passes PATH_INFO `/wörld/a%2Fb`, lighttpd `/wörld/a/b`: both become the decoded target.
        #expect(report["pathInfo"] == "/wörld/a/b")
        #expect(report["queryString"] == "x=&x=2&y")
        #expect(report["expectedLength"] == "0")
    }

    /// 16 MiB with a Content-Length: read exactly, checksum intact.
    func upload(_ server: RunningServer) async throws {
        // Made and hashed off the concurrency pool: in a debug build this takes seconds,
        // which other tests' timers would wait for (see IntegrationSupport's PatternBytes).
        let (body, digest) = try await onOwnThread {
            let body = Data([UInt8].pattern(count: 16 << 20))
            return (body, Report.fnv1a(body))
        }
        let response = try await Curl.fetch(CurlRequest(server.url("/upload"), body: .bytes(body), maxTime: .seconds(60)))
        let report = Report(response)
        #expect(response.status == 200, "\(server.logReport())")
        #expect(report["method"] == "POST")
        #expect(report["expectedLength"] == "\(body.count)")
        #expect(report["bodyLength"] == "\(body.count)")
        #expect(report["bodyFNV1a"] == digest)
    }

    /// A chunked upload: Apache streams it with no length (read to end of file), lighttpd spools it.
    func chunkedUpload(_ server: RunningServer) async throws {
        let body = Data([UInt8].pattern(count: 300_000))
        let response = try await Curl.fetch(CurlRequest(server.url("/chunked"), body: .bytes(body, chunked: true)))
        let report = Report(response)
        #expect(response.status == 200, "\(server.logReport())")
        #expect(report["expectedLength"] == (chunkedBodyHasLength ? "\(body.count)" : "unknown"))
        #expect(report["bodyLength"] == "\(body.count)")
        #expect(report["bodyFNV1a"] == Report.fnv1a(body))
    }

    /// The first line arrives while the program still sleeps before the second.
    func streaming(_ server: RunningServer) async throws {
        let streamed = try await Curl.stream(CurlRequest(server.url("/stream")))
        #expect(streamed.response.text == "first\nsecond\n", "\(server.logReport())")
        let first = try #require(streamed.arrival(of: "first"))
        let second = try #require(streamed.arrival(of: "second"))
        #expect(second - first > .milliseconds(700), "first at \(first), second at \(second)")
    }

    /// HEAD reaches the program as HEAD; no body comes back.
    func head(_ server: RunningServer) async throws {
        let response = try await Curl.fetch(CurlRequest(server.url("/echo"), isHead: true))
        #expect(response.status == 200, "\(server.logReport())")
        #expect(response.value(of: "X-Seen-Method") == "HEAD")
        #expect(response.value(of: "Content-Type") == "text/plain; charset=utf-8")
        #expect(response.body.isEmpty)
    }

    /// A local redirect is served by the server from the new path; a client redirect reaches the client.
    func redirects(_ server: RunningServer) async throws {
        let local = try await Curl.fetch(server.url("/local-redirect"))
        if localRedirectIsFollowed {
            #expect(local.status == 200, "\(server.logReport())")
            #expect(Report(local)["pathInfo"] == "/echo")
            #expect(Report(local)["queryString"] == "redirected=1")
        } else {
            #expect(local.status == 302)
            #expect(local.value(of: "Location")?.hasSuffix("/app/echo?redirected=1") == true)
        }
        let client = try await Curl.fetch(server.url("/client-redirect"))
        #expect(client.status == 302)
        #expect(client.value(of: "Location") == "http://example.invalid/elsewhere")
    }

    /// httpoxy: whatever the server does with a `Proxy` header, it never reaches the program's
    /// environment as HTTP_PROXY. (Both servers drop the header; nginx and h2o would pass it.)
    func proxyHeader(_ server: RunningServer) async throws {
        let response = try await Curl.fetch(
            CurlRequest(server.url("/echo"), headers: [HTTPHeaderField(name: "Proxy", value: "http://attacker.invalid:8080")])
        )
        #expect(response.status == 200)
        #expect(Report(response)["environment HTTP_PROXY"] == "absent")
    }

    /// Authorization reaches the program (Apache withholds it without `CGIPassAuth On`).
    func authorization(_ server: RunningServer) async throws {
        let response = try await Curl.fetch(
            CurlRequest(server.url("/echo"), headers: [HTTPHeaderField(name: "Authorization", value: "Bearer t0ken")])
        )
        #expect(response.text.lowercased().contains("header: authorization: bearer t0ken\n"), "\(response.text)")
    }

    /// An application error: a 500 from the program, the error in the server's log.
    func failure(_ server: RunningServer) async throws {
        let response = try await Curl.fetch(server.url("/fail"))
        #expect(response.status == 500)
        #expect(response.text == "500 Internal Server Error\n")
        #expect(server.logs.report().contains("BatteryFailure"), "\(server.logReport())")
    }
}

/// The `key: value` lines of CGIBattery's echo report.
struct Report {
    private let lines: [String]

    init(_ response: HTTPResponse) {
        lines = response.text.components(separatedBy: "\n")
    }

    /// The value of the first line for `key`.
    subscript(key: String) -> String? {
        lines.first { $0.hasPrefix(key + ": ") }.map { String($0.dropFirst(key.count + 2)) }
    }

    /// FNV-1a (64 bits) in hex, as the program reports it.
    static func fnv1a(_ data: Data) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}
