// Many connections at once, from wrk (Spec APP-2, HTTP-2).

import Foundation
import IntegrationSupport
import Sluice
import Testing

extension UnderLoad {
    @Suite("Load from wrk")
    struct LoadTests {
        @Test("[APP-2] [HTTP-2] wrk's keep-alive connections get only complete 200 responses", .requires(.wrk))
        func wrkLoad() async throws {
            let hello = App { request in .text("Hello from \(request.path)\n") }
            try await InProcessServer.serving(hello) { server in
                let directory = try TemporaryDirectory(label: "wrk")
                let process = try ManagedProcess(
                    name: "wrk", executable: "wrk", arguments: ["-t1", "-c32", "-d1s", server.url("/load")], workingDirectory: directory.url
                )
                let status = try await process.waitForExit(timeout: .seconds(15))
                #expect(status == .exited(code: 0))
                let report = String(decoding: try Data(contentsOf: process.standardOutputLog), as: UTF8.self)
                #expect(!report.contains("Non-2xx"), "\(report)")
                #expect(!report.contains("Socket errors"), "\(report)")
                let requests = report.split(separator: "\n").first { $0.contains("requests in") }?
                    .split(separator: " ").first.flatMap { Int($0) }
                // Many requests over the 32 connections, not a throughput figure: other tests
                // share the two cores (Benchmarks/HTTP measures throughput).
                #expect((requests ?? 0) > 100, "\(report)")
            }
        }
    }
}
