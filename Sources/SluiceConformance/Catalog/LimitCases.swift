// Cases for the limits of Spec Appendix A, at their defaults: a front server with other limits
// answers first with its own status, which is what a deviations entry records.

extension ConformanceSuite {
    static let limitCases: [ConformanceCase] = [
        ConformanceCase("limit-target-414", ["SEC-3", "ERR-3"], "A request-target over 8 KiB is answered 414.") { probe in
            let long = "/" + String(repeating: "t", count: 8 * 1024)
            let response = try probe.exchange("GET", long)
            try expectEqual(response.status, 414, "status")
            return "414 for a \(probe.path(long).utf8.count)-byte target"
        },
        ConformanceCase(
            "limit-header-count-431", ["SEC-3", "ERR-3"], "More than 100 header fields (behind a front server: more than 256 params) are answered 431."
        ) { probe in
            // The HTTP adapter counts fields; behind a front server each field is a param, and
            // the FastCGI adapter counts pairs against its own, larger limit (Appendix A).
            let count = probe.isBehindGateway ? 260 : 101
            let response = try probe.exchange("GET", "/", (2...count).map { ("X-Conformance-Count-\($0)", "1") })
            try expectEqual(response.status, 431, "status")
            return "431 for \(count) fields"
        },
        ConformanceCase("limit-header-bytes-431", ["SEC-3", "ERR-3"], "A header block over 64 KiB is answered 431.") { probe in
            let value = String(repeating: "h", count: 6000)
            let response = try probe.exchange("GET", "/", (1...12).map { ("X-Conformance-Bytes-\($0)", value) })
            try expectEqual(response.status, 431, "status")
            return "431 for 72 KB of fields"
        },
        ConformanceCase("limit-body-413", ["SEC-3", "ERR-3", "CGI-5"], "A declared body over the server's limit is answered 413 before it is sent.") { probe in
            guard let limit = probe.target.maxBodyBytes else { throw NotApplicable(reason: "the target has no body limit") }
            let connection = try probe.connect()
            defer { connection.disconnect() }
            try connection.write(probe.head("POST", "/", [("Content-Length", String(limit + 1)), ("X-Probe-Body", "count")]))
            var answeredEarly = true
            do {
                if let bytes = try connection.receive(within: .seconds(2)) { connection.responses.push(bytes) }
            } catch {
                // Front servers that spool uploads pass the request on only once the body is
                // in; one that answers early closes, and the rest of the body fails to send.
                answeredEarly = false
                try? connection.writePattern(limit + 1)
            }
            let response = try connection.responses.readResponse(method: "POST")
            try expect(response.status != 200, "\(limit + 1) bytes accepted: the server's limit is above the \(limit) the suite was told (--max-body-bytes)")
            try expectEqual(response.status, 413, "status")
            return !answeredEarly ? "413 once the \(limit + 1) bytes were sent" : "413 for \(limit + 1) bytes declared, before the body"
        },
    ]
}
