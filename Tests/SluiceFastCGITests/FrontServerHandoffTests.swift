// The toolkit's StaticFiles handing files to real nginx with X-Accel-Redirect: the
// application decides, nginx sends the bytes (Docs/toolkit.md, "Letting the front server
// send the file").

import Foundation
import IntegrationSupport
import Testing

@Suite("StaticFiles hand-off behind real nginx")
struct FrontServerHandoffTests {
    /// The internal location Docs/toolkit.md shows, mapping the prefix to the served root.
    static let protectedLocation = """
        location /protected/ {
                    internal;
                    alias @DIR@/files/;
                }
        """

    /// nginx in front of FilesServer, whose `files/` holds `report.txt` (`bytes` of a pattern).
    static func deploy(bytes: Int, in directory: TemporaryDirectory) async throws -> FastCGIDeployment {
        try FileManager.default.createDirectory(at: directory.appending("files"), withIntermediateDirectories: false, attributes: [.posixPermissions: 0o755])
        try PatternBytes.data(count: bytes).write(to: directory.appending("files/report.txt"))
        return try await NginxFastCGIHost.start(
            FastCGIApp(executable: try BuiltProduct.path("FilesServer"), arguments: ["--mount", "/app"]),
            overTCP: false, keepsConnections: true, locations: protectedLocation, in: directory
        )
    }

    @Test("X-Accel-Redirect: nginx sends the file the application names, with its own ranges; the header never reaches the client", .requires(.nginx, .curl))
    func accelRedirect() async throws {
        let directory = try TemporaryDirectory(label: "files-accel")
        let deployment = try await Self.deploy(bytes: 100_000, in: directory)
        defer { deployment.stop() }
        let expected = PatternBytes.data(count: 100_000)

        let whole = try await Curl.fetch(deployment.url("/accel/report.txt"))
        #expect(whole.status == 200, "\(deployment.logReport())")
        #expect(whole.body == expected)
        #expect(whole.value(of: "X-Accel-Redirect") == nil)

        let range = try await Curl.fetch(CurlRequest(deployment.url("/accel/report.txt"), headers: [HTTPHeaderField(name: "Range", value: "bytes=10-19")]))
        #expect(range.status == 206)
        #expect(range.body == expected[10..<20])

        // The application still decides: outside the root, and a missing file, are its 404s.
        #expect(try await Curl.fetch(CurlRequest(deployment.url("/accel/%2e%2e/nginx.conf"), sendsPathAsIs: true)).status == 404)
        #expect(try await Curl.fetch(deployment.url("/accel/missing.txt")).status == 404)
        // The internal location cannot be asked for directly.
        let origin = deployment.url("").replacingOccurrences(of: "/app", with: "")
        #expect(try await Curl.fetch(origin + "/protected/report.txt").status == 404)
        // Without the hand-off, the application sends the same bytes itself.
        #expect(try await Curl.fetch(deployment.url("/plain/report.txt")).body == expected)
    }
}
