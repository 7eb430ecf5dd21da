// Cases for failures: the application throwing before and after the head, local redirects,
// unsendable heads, and malformed requests the server answers itself.

extension ConformanceSuite {
    static let errorCases: [ConformanceCase] = [
        ConformanceCase("err-fail-before-head", ["ERR-1", "LIFE-3"], "An application that throws gets a plain 500 naming no detail, and the server goes on.") {
            probe in
            let id = probe.id("fail-before")
            let response = try probe.exchange("GET", "/", [("X-Probe-Id", id), ("X-Probe-Fail", "before-head")])
            try expectEqual(response.status, 500, "status")
            if !probe.isBehindGateway {
                try expect(response.value("Content-Type")?.hasPrefix("text/plain") == true, "Content-Type is \(quoted(response.value("Content-Type")))")
            }
            try expect(
                !response.text.contains("probe failed") && !response.text.contains("before-head"), "the body names the error: \(response.text.debugDescription)"
            )
            _ = try probe.report("/still-serving")
            guard !probe.capabilities.isRunOnce else { return "500 without details; the server goes on" }
            let record = try probe.completion(of: id)
            try expect(record.isCompleted, "the request is \(record.state)")
            try expectEqual(record.status, 500, "the completion's status")
            try expect(record.applicationError != nil, "the completion has no applicationError")
            try expect(record.error == nil, "the completion's error is \(quoted(record.error)): a 500 is delivered whole")
            return "500 without details, applicationError recorded; the server goes on"
        },
        ConformanceCase("err-fail-after-head", ["ERR-2"], "A body that fails after the head is cut so the client can tell.") { probe in
            let response = try probe.exchange("GET", "/", [("X-Probe-Fail", "after-head")])
            try expectEqual(response.status, 200, "status")
            try expect(response.text.hasPrefix("partial\n"), "the body is \(response.text.prefix(40).debugDescription)")
            try expect(!response.isComplete, "the response ended normally (framed \(response.framing)) after the body failed")
            return "cut after \(response.body.count) bytes (framed \(response.framing))"
        },
        ConformanceCase("err-local-redirect", ["HTTP-5", "CGI-11"], "A local redirect is followed by the server (or answered 500), never sent as a 200.") {
            probe in
            let destination = probe.path("/redirected")
            let response = try probe.exchange("GET", "/" + probeQuery([("local-redirect", destination)]))
            if response.status == 500 { return "answered 500 (allowed standalone)" }
            if let location = response.value("Location") {
                throw CaseFailure(description: "the local redirect reached the client: \(response.status) with Location \(quoted(location))")
            }
            let report = try ProbeSession.report(from: response)
            try expectEqual(report.pathInfo, "/redirected", "the followed request's pathInfo")
            try expectEqual(report.method, "GET", "the followed request's method")
            return "followed to \(destination)"
        },
        ConformanceCase("sec-no-header-injection", ["SEC-2"], "A response field value with CR LF is never sent; the server answers 500.") { probe in
            let response = try probe.exchange("GET", "/" + probeQuery([("header", "X-Conformance-Split: a\r\nX-Conformance-Injected: 1")]))
            try expect(response.values("X-Conformance-Injected").isEmpty, "the injected field reached the client")
            if response.status == 400, probe.isBehindGateway {
                throw NotApplicable(reason: "the front server refused the encoded CR LF in the query (400): the application never ran")
            }
            try expectEqual(response.status, 500, "status")
            return "500, nothing injected"
        },
        ConformanceCase(
            "err-bad-field-name", ["REQ-7", "ERR-3", "HTTP-3"], "A field name that is not a token is answered 400 without running the application."
        ) { probe in
            let id = probe.id("bad-field")
            let response = try probe.exchange("GET", "/", [("X-Probe-Id", id), ("Bad@Name", "1")])
            if response.status == 200, probe.isBehindGateway {
                let report = try ProbeSession.report(from: response)
                try expect(report.values("Bad@Name").isEmpty, "the field reached the application")
                return "the front server dropped the field before the application"
            }
            try expectEqual(response.status, 400, "status")
            guard !probe.capabilities.isRunOnce else { return "400" }
            try expectEqual(try probe.completion(of: id).state, "unknown", "the application's record")
            return "400; the application did not run"
        },
        ConformanceCase(
            "err-conflicting-framing", ["HTTP-3", "SEC-4", "ERR-3"], "Content-Length with Transfer-Encoding is answered 400 and the connection closed."
        ) { probe in
            try expectMalformed(probe, [("Content-Length", "5"), ("Transfer-Encoding", "chunked")], body: "5\r\nhello\r\n0\r\n\r\n")
        },
        ConformanceCase(
            "err-two-content-lengths", ["HTTP-3", "SEC-4", "ERR-3"], "Two different Content-Length values are answered 400 and the connection closed."
        ) { probe in
            try expectMalformed(probe, [("Content-Length", "5"), ("Content-Length", "6")], body: "hello!")
        },
        ConformanceCase("err-http-version", ["ERR-3"], "An HTTP version other than 1.0 and 1.1 is answered 505 (or 400).") { probe in
            let connection = try probe.connect()
            defer { connection.disconnect() }
            try connection.write(probe.head("GET", "/", version: "HTTP/3.0"))
            let response = try connection.responses.readResponse()
            try expect(probe.isBehindGateway ? [505, 400].contains(response.status) : response.status == 505, "status \(response.status)")
            return "\(response.status)"
        },
        ConformanceCase("http-expect-unknown", ["HTTP-6"], "An Expect other than 100-continue is answered 417.") { probe in
            try probe.requireStandaloneHTTP("the front server handles Expect")
            let response = try probe.exchange("GET", "/", [("Expect", "conformance")])
            try expectEqual(response.status, 417, "status")
            return "417"
        },
        ConformanceCase("http-connect", ["HTTP-4"], "CONNECT is answered 501.") { probe in
            try probe.requireStandaloneHTTP("the front server handles CONNECT")
            let connection = try probe.connect()
            defer { connection.disconnect() }
            try connection.write("CONNECT \(probe.target.hostField) HTTP/1.1\r\nHost: \(probe.target.hostField)\r\n\r\n")
            let response = try connection.responses.readResponse(method: "CONNECT")
            try expectEqual(response.status, 501, "status")
            return "501"
        },
        ConformanceCase("http-absolute-form", ["HTTP-4"], "An absolute-form target becomes origin form; its authority replaces Host.") { probe in
            try probe.requireStandaloneHTTP("the front server turns the target into origin form")
            let connection = try probe.connect()
            defer { connection.disconnect() }
            let relative = probe.path("/absolute?x=1")
            try connection.write("GET http://conformance.example:8123\(relative) HTTP/1.1\r\nHost: \(probe.target.hostField)\r\n\r\n")
            let report = try ProbeSession.report(from: connection.responses.readResponse())
            try expectEqual(report.target, relative, "target")
            try expectEqual(report.serverName, "conformance.example", "serverName")
            try expectEqual(report.serverPort, 8123, "serverPort")
            try expectEqual(report.scheme, "http", "scheme")
            return "target \(relative), server conformance.example:8123"
        },
    ]

    /// Sends a request with conflicting framing and expects 400 and a closed connection.
    private static func expectMalformed(_ probe: ProbeSession, _ fields: [(String, String)], body: String) throws -> String {
        let connection = try probe.connect()
        defer { connection.disconnect() }
        try connection.write(probe.head("POST", "/", fields) + body)
        let response = try connection.responses.readResponse(method: "POST")
        try expectEqual(response.status, 400, "status")
        try expect(connection.closesWithin(.seconds(2)), "the connection stayed open")
        return "400, connection closed"
    }
}
