// The same request battery through every front server the adapter supports, each started
// on 127.0.0.1 from a temporary config and stopped by pid (server, then application).

import Foundation
import IntegrationSupport
import Testing

/// One way of running FastCGIBattery behind a real server.
enum Deployment: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case nginxTCP = "nginx, TCP"
    case nginxUnixSocket = "nginx, unix socket"
    case nginxTCPKeptConnections = "nginx, TCP, fastcgi_keep_conn"
    case nginxUnixSocketKeptConnections = "nginx, unix socket, fastcgi_keep_conn"
    case apache = "Apache mod_proxy_fcgi"
    case lighttpd = "lighttpd mod_fastcgi bin-path"
    case caddy = "Caddy fastcgi transport"

    var testDescription: String { rawValue }

    var software: FrontServer {
        switch self {
        case .nginxTCP, .nginxUnixSocket, .nginxTCPKeptConnections, .nginxUnixSocketKeptConnections: .nginx
        case .apache: .apache2
        case .lighttpd: .lighttpd
        case .caddy: .caddy
        }
    }

    /// Starts the battery (16 workers: more than nginx's 8 kept connections) and the server.
    func start(in directory: TemporaryDirectory) async throws -> FastCGIDeployment {
        let app = FastCGIApp(executable: Battery.executablePath, arguments: ["--mount", "/app", "--workers", "16"])
        return switch self {
        case .nginxTCP: try await NginxFastCGIHost.start(app, overTCP: true, keepsConnections: false, in: directory)
        case .nginxUnixSocket: try await NginxFastCGIHost.start(app, overTCP: false, keepsConnections: false, in: directory)
        case .nginxTCPKeptConnections: try await NginxFastCGIHost.start(app, overTCP: true, keepsConnections: true, in: directory)
        case .nginxUnixSocketKeptConnections:
            try await NginxFastCGIHost.start(app, overTCP: false, keepsConnections: true, in: directory)
        case .apache: try await ApacheFastCGIHost.start(app, in: directory)
        case .lighttpd: try await LighttpdFastCGIHost.start(app, in: directory)
        case .caddy: try await CaddyFastCGIHost.start(app, in: directory)
        }
    }
}

/// FNV-1a, 64 bits, as the battery hashes request bodies.
func fnv1a(_ bytes: some Sequence<UInt8>) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes {
        hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
    }
    return String(hash, radix: 16)
}

@Suite("FastCGI behind real servers", .serialized, .timeLimit(.minutes(2)))
struct FrontServerTests {
    static let sixtyFourMiB = 64 << 20

    @Test("[CGI-3] [REQ-4] [BODY-2] [RESP-6] [RESP-9] [LIFE-4] the request battery", arguments: Deployment.allCases)
    func battery(_ deployment: Deployment) async throws {
        try FrontServer.require(deployment.software, .curl)
        let directory = try TemporaryDirectory(label: "fcgi-\(deployment)")
        let site = try await deployment.start(in: directory)
        defer { site.stop() }
        let context = Comment(rawValue: site.logReport())

        // Encoded and non-ASCII paths: the split comes from the mount and REQUEST_URI, the same everywhere.
        let echo = try await Curl.fetch(site.url("/hello/w%C3%B6rld%2Fx?q=1&q=2"))
        #expect(echo.status == 200, context)
        #expect(echo.text.contains("scriptName: /app\n"), context)
        #expect(echo.text.contains("pathInfo: /hello/wörld/x\n"), context)
        #expect(echo.text.contains("target: /app/hello/w%C3%B6rld%2Fx?q=1&q=2\n"), context)
        #expect(echo.text.contains("queryString: q=1&q=2\n"), context)

        // Authorization reaches the application (Apache needs `CGIPassAuth On` for it).
        let authorized = try await Curl.fetch(CurlRequest(site.url("/echo"), headers: [HTTPHeaderField(name: "Authorization", value: "Bearer t0ken")]))
        #expect(authorized.text.lowercased().contains("header: authorization: bearer t0ken\n"), context)

        // 64 MiB each way, with the application's memory flat.
        let upload = directory.appending("upload.bin")
        try PatternBytes.data(count: Self.sixtyFourMiB).write(to: upload)
        let uploaded = try await Curl.fetch(CurlRequest(site.url("/body-length"), body: .file(upload)))
        #expect(uploaded.text == "bodyLength: \(Self.sixtyFourMiB)\n", context)
        let downloaded = try await Curl.fetch(site.url("/download?bytes=\(Self.sixtyFourMiB)"))
        #expect(downloaded.status == 200, context)
        #expect(downloaded.body.count == Self.sixtyFourMiB, context)
        #expect(downloaded.body.prefix(30) == Data("abcdefghijklmnopqrstuvwxyzabcd".utf8), context)
        let memory = try await Curl.fetch(site.url("/memory")).text
        let peakKiB = memory.split(separator: "\n").first { $0.hasPrefix("VmHWM: ") }.flatMap { Int($0.dropFirst(7)) }
        #expect((peakKiB ?? .max) < 64 * 1024, "peak RSS after moving 64 MiB each way: \(memory)")

        // A chunked upload: the body arrives whole whatever the server does with the framing.
        let chunkedBody = Data((0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) })
        let chunked = try await Curl.fetch(CurlRequest(site.url("/echo"), body: .bytes(chunkedBody, chunked: true)))
        #expect(chunked.text.contains("bodyLength: 300000\n"), context)
        #expect(chunked.text.contains("bodyFNV1a: \(fnv1a(chunkedBody))\n"), context)

        // HEAD: the head the application returned, no body.
        let head = try await Curl.fetch(CurlRequest(site.url("/download?bytes=1000"), isHead: true))
        #expect(head.status == 200, context)
        #expect(head.body.isEmpty, context)

        // Streaming: the first piece arrives before the application finishes.
        let streamed = try await Curl.stream(CurlRequest(site.url("/stream?ms=1500")))
        let first = try #require(streamed.arrival(of: "first"), context)
        let second = try #require(streamed.arrival(of: "second"), context)
        #expect(second - first > .milliseconds(700), "first at \(first), second at \(second)")

        // The client goes away mid-download: the completion hook sees ClientDisconnected.
        let before = try await Curl.fetch(site.url("/disconnections")).text
        await #expect(throws: CurlFailure.self) {
            try await Curl.fetch(CurlRequest(site.url("/slow?chunks=200&ms=50"), maxTime: .seconds(1)))
        }
        var after = before
        for _ in 0..<100 where after == before {
            try await Task.sleep(for: .milliseconds(100))
            after = try await Curl.fetch(site.url("/disconnections")).text
        }
        #expect(Int(after.dropLast()) == (Int(before.dropLast()) ?? 0) + 1, context)
    }
}
