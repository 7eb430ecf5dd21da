// The todo list API checked from outside: schemathesis against its own openapi.yaml, with the
// API served standalone and behind real nginx over FastCGI.

import Foundation
import IntegrationSupport
import Testing

@Suite("The todo list API against schemathesis", .serialized)
struct SchemathesisTests {
    /// How the `todos` program is served, mounted at /app.
    enum Deployment: String, CaseIterable, Sendable {
        case standalone
        case nginxFastCGI

        func start(in directory: TemporaryDirectory) async throws -> any HostedApplication {
            let todos = try BuiltProduct.path("Todos")
            switch self {
            case .standalone:
                return try await StandaloneHTTPServer.start(executable: todos, mountPath: "/app", in: directory)
            case .nginxFastCGI:
                try FrontServer.require(.nginx)
                let app = FastCGIApp(executable: todos, arguments: ["--mount", "/app", "--workers", "4"])
                return try await NginxFastCGIHost.start(app, overTCP: true, keepsConnections: false, in: directory)
            }
        }

        /// The settings schemathesis needs for this deployment, if any: behind nginx, no TRACE
        /// (nginx answers it itself; the file says why).
        var configuration: URL? {
            switch self {
            case .standalone: nil
            case .nginxFastCGI: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("behind-nginx.schemathesis.toml")
            }
        }
    }

    /// The document the API was generated from.
    static let schema = Schemathesis.repositoryRoot.appendingPathComponent("Examples/Frameworks/OpenAPI/TodoAPI/openapi.yaml")

    @Test("schemathesis finds nothing wrong: every check, every phase", arguments: Deployment.allCases)
    func schemathesisPasses(deployment: Deployment) async throws {
        try Schemathesis.require()
        let directory = try TemporaryDirectory(label: "todos-\(deployment.rawValue)")
        let hosted = try await deployment.start(in: directory)
        defer { hosted.stop() }
        let run = try await Schemathesis.run(
            schema: Self.schema, baseURL: hosted.mountedURL, configuration: deployment.configuration, in: directory
        )
        #expect(run.status == IntegrationSupport.ExitStatus.exited(code: 0), "\(run.report)\n\(hosted.logReport())")
    }
}
