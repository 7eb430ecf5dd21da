// Cases for HTTP/2 (Spec chapter 18), spoken by the suite's own h2c client: they apply to a
// standalone server that serves cleartext HTTP/2 by prior knowledge, and are not applicable
// behind a front server, which speaks HTTP/2 to clients but HTTP/1.x, CGI or FastCGI to the
// application.

extension ConformanceSuite {
    static let http2Cases: [ConformanceCase] = [
        ConformanceCase(
            "h2-request", ["H2-1", "H2-2", "H2-3"],
            "A stream's pseudo-headers make the request: HTTP/2.0, :authority as the first host field, cookie crumbs joined."
        ) { probe in
            let client = try probe.http2()
            let stream = try client.request(
                "GET", probe.path("/h2/caf%C3%A9?a=1"), authority: probe.target.hostField,
                [
                    ("cookie", "a=1"), ("x-tag", "one"), ("cookie", "b=2"), ("x-tag", "two"),
                ])
            let report = try probe.report(from: client.response(stream))
            try expectEqual(report.serverProtocol, "HTTP/2.0", "serverProtocol")
            try expectEqual(report.pathInfo, "/h2/café", "pathInfo")
            try expectEqual(report.queryString, "a=1", "queryString")
            try expectEqual(report.serverName, probe.target.host, "serverName")
            try expectEqual(report.serverPort, probe.target.port, "serverPort")
            try expectEqual(report.fields.first?.name, "host", "the first field")
            try expectEqual(report.fields.first?.value, probe.target.hostField, "the host field")
            try expect(!report.fields.contains { $0.name.hasPrefix(":") }, "pseudo-header fields reached the headers")
            try expectEqual(report.values("cookie"), ["a=1; b=2"], "the cookie fields")
            try expectEqual(report.values("x-tag"), ["one", "two"], "the x-tag fields")
            return "HTTP/2.0, host first, cookies joined"
        },
        ConformanceCase("h2-authority-conflict", ["H2-2"], "A host field that disagrees with :authority is answered 400.") { probe in
            let client = try probe.http2()
            let stream = try client.request("GET", probe.path("/h2/conflict"), authority: probe.target.hostField, [("host", "elsewhere.invalid")])
            try expectEqual(try client.response(stream).status, 400, "the status")
            return "400"
        },
        ConformanceCase("h2-malformed", ["H2-4", "ERR-3"], "Connection-specific fields and uppercase names reset the stream with PROTOCOL_ERROR.") { probe in
            let client = try probe.http2()
            for field in [("connection", "keep-alive"), ("transfer-encoding", "chunked"), ("X-Upper", "1")] {
                let state = try client.response(client.request("GET", probe.path("/h2/malformed"), authority: probe.target.hostField, [field]))
                try expectEqual(state.reset, 1, "the RST_STREAM code for \(field.0)")
            }
            return "three streams reset with PROTOCOL_ERROR"
        },
        ConformanceCase(
            "h2-bodies", ["H2-5", "BODY-8", "RESP-11", "RESP-12"],
            "Bodies flow both ways under flow control; request trailers are dropped; response trailers and 103 arrive."
        ) { probe in
            let client = try probe.http2()
            let body = pattern(200_000)
            let echo = try client.response(
                client.request(
                    "POST", probe.path("/h2/echo"), authority: probe.target.hostField, [("x-probe-echo", "1")], body: body, trailers: [("x-sent-trailer", "1")]
                ))
            try expectEqual(echo.status, 200, "the echo's status")
            try expect(echo.body == body, "the echo is not the 200 000 bytes sent")
            let stream = try client.request(
                "POST", probe.path("/h2/report"), authority: probe.target.hostField,
                [
                    ("x-probe-trailer", "X-Checksum: abc"), ("x-probe-early-hint", "</a.css>; rel=preload"),
                ], body: pattern(10), trailers: [("x-request-trailer", "1")])
            let state = try client.response(stream)
            let report = try probe.report(from: state)
            try expect(report.values("x-request-trailer").isEmpty, "a request trailer reached the headers")
            try expectEqual(report.body.bytesRead, 10, "the body's bytes read")
            try expect(state.trailers?.contains { $0 == ("x-checksum", "abc") } == true, "the response trailer did not arrive: \(state.trailers ?? [])")
            try expect(state.informational.first?.contains { $0 == (":status", "103") } == true, "no 103 before the final head")
            return "200 000 bytes echoed; trailers and 103 arrived; request trailers dropped"
        },
        ConformanceCase(
            "h2-capabilities", ["H2-6", "REQ-14"], "Over HTTP/2 the capabilities are those of HTTP/1.1: trailers and informational responses included."
        ) { probe in
            let client = try probe.http2()
            let report = try probe.report(from: client.response(client.request("GET", probe.path("/h2/capabilities"), authority: probe.target.hostField)))
            let claims = report.capabilities
            try expect(claims.isConcurrent && claims.streamsRequestBody && claims.honoursFlush, "claims \(claims)")
            try expect(claims.supportsTrailers && claims.supportsInformationalResponses, "trailers or informational responses not claimed: \(claims)")
            return "concurrent, streaming, flush, trailers, 1xx"
        },
        ConformanceCase("h2-reset-cancels", ["H2-6", "LIFE-4"], "RST_STREAM cancels the request: ClientDisconnected, hooks run once.") { probe in
            try probe.requireCompletionRecords()
            let id = probe.id("h2-reset")
            let client = try probe.http2()
            let stream = try client.request(
                "GET", probe.path("/h2/reset"), authority: probe.target.hostField,
                [
                    ("x-probe-id", id), ("x-probe-stream", "100000"), ("x-probe-chunks", "100"), ("x-probe-chunk-delay", "20"),
                ])
            guard try client.wait(until: { !($0.streams[stream]?.body.isEmpty ?? true) }) else {
                throw CaseFailure(description: "the connection closed before the first DATA frame")
            }
            try client.reset(stream)
            let record = try probe.completion(of: id)
            try expect(record.isCompleted, "the request is still \(record.state) after RST_STREAM")
            try expectEqual(record.clientDisconnected, true, "clientDisconnected")
            try expectEqual(record.hookRuns, 1, "hookRuns")
            return "cancelled after \(record.bodyBytesSent ?? 0) bytes"
        },
        ConformanceCase("h2-limits", ["H2-7"], "Streams beyond SETTINGS_MAX_CONCURRENT_STREAMS are refused; too many fields get 431.") { probe in
            let client = try probe.http2()
            let limit = Int(client.serverSettings[3] ?? 0)
            try expect(limit > 0 && limit <= 1000, "SETTINGS_MAX_CONCURRENT_STREAMS is \(limit): unbounded or absent")
            let slow = try (0..<limit).map { _ in
                try client.request("GET", probe.path("/h2/slow"), authority: probe.target.hostField, [("x-probe-delay", "1000")])
            }
            let extra = try client.request("GET", probe.path("/h2/extra"), authority: probe.target.hostField)
            // A stream error (REFUSED_STREAM, PROTOCOL_ERROR) or, as swift-nio-http2 answers, a
            // connection error that lets the open streams finish.
            _ = try client.wait { $0.streams[extra]?.reset != nil || $0.goAway != nil }
            let refusal = client.streams[extra]?.reset.map { "RST_STREAM \($0)" } ?? client.goAway.map { "GOAWAY \($0)" }
            try expect(
                [7, 1].contains(client.streams[extra]?.reset ?? 0) || client.goAway == 1,
                "stream \(limit + 1) was not refused: \(refusal ?? "no reset, no GOAWAY")")
            try expect(client.streams[extra]?.head == nil, "stream \(limit + 1) was answered")
            for stream in slow { try expectEqual(try client.response(stream).status, 200, "a stream within the limit") }
            let fields = try probe.http2()
            let many = (0..<150).map { ("x-field-\($0)", "v") }
            try expectEqual(
                try fields.response(fields.request("GET", probe.path("/h2/fields"), authority: probe.target.hostField, many)).status, 431, "150 fields")
            return "\(limit) streams answered; the next refused (\(refusal ?? "")); 150 fields 431"
        },
    ]
}

extension ProbeSession {
    /// An HTTP/2 connection to the probe by prior knowledge; ``NotApplicable`` behind a front
    /// server or where the server does not serve cleartext HTTP/2.
    func http2() throws -> HTTP2Client {
        try requireStandaloneHTTP("the front server speaks HTTP/2 to clients and HTTP/1.x, CGI or FastCGI to the application")
        do {
            return try HTTP2Client(connection: connect())
        } catch let refused as HTTP2Client.NotHTTP2 {
            throw NotApplicable(reason: "the server does not serve cleartext HTTP/2 by prior knowledge (\(refused)); the standalone server does with --h2c")
        }
    }

    /// The probe's report in an HTTP/2 response, which must be a 200.
    func report(from stream: HTTP2Client.Stream) throws -> ProbeReport {
        try expectEqual(stream.status, 200, "the status (RST_STREAM \(stream.reset.map(String.init) ?? "none"))")
        return try JSONValueDecoder.decode(ProbeReport.self, from: stream.body)
    }
}
