// The bookshop binary behind Apache as CGI, behind nginx over FastCGI, and on its own: the
// same requests get the same answers everywhere, and the same as in-process.

import Foundation
import IntegrationSupport
import Testing

@Suite("The bookshop answers alike under every adapter", .serialized)
struct SameAnswersTests {
    /// How the `bookshop` binary is served: always the same binary, mounted at /app.
    enum Deployment: String, CaseIterable, Sendable {
        case apacheCGI
        case nginxFastCGI
        case standalone

        func start(in directory: TemporaryDirectory) async throws -> any HostedApplication {
            let bookshop = try BuiltProduct.path("BookshopServer")
            switch self {
            case .apacheCGI:
                try FrontServer.require(.apache2)
                let program = try directory.copyProgram(from: bookshop, as: "bookshop.cgi")
                return try await ApacheCGIHost.start(program: program, in: directory)
            case .nginxFastCGI:
                try FrontServer.require(.nginx)
                let app = FastCGIApp(executable: bookshop, arguments: ["--mount", "/app", "--workers", "4"])
                return try await NginxFastCGIHost.start(app, overTCP: false, keepsConnections: false, in: directory)
            case .standalone:
                return try await StandaloneHTTPServer.start(executable: bookshop, mountPath: "/app", in: directory)
            }
        }
    }

    @Test("every request gets the same status, fields and body under CGI, FastCGI and standalone", .requires(.curl))
    func sameAnswers() async throws {
        var expected: [BookshopAnswer] = []
        for request in BookshopRequest.all {
            expected.append(BookshopAnswer(try await request.send(with: BookshopTests.client)))
        }
        for deployment in Deployment.allCases {
            let directory = try TemporaryDirectory(label: "bookshop-\(deployment.rawValue)")
            let hosted = try await deployment.start(in: directory)
            defer { hosted.stop() }
            for (request, expectedAnswer) in zip(BookshopRequest.all, expected) {
                let answer = BookshopAnswer(try await request.send(to: hosted.mountedURL))
                #expect(answer == expectedAnswer, "\(deployment) \(request)\n\(hosted.logReport())")
            }
        }
    }
}
