// Cases for request bodies: declared, large, chunked, 100-continue, truncated, unread, and
// whether body bytes reach the application while the client still sends them.

extension ConformanceSuite {
    static let bodyCases: [ConformanceCase] = [
        ConformanceCase("body-empty", ["REQ-12"], "A GET without a body reads as empty, its length 0 (or unknown behind a front server).") { probe in
            let body = try probe.report().body
            try expectEqual(body.bytesRead, 0, "bytesRead")
            try expect(body.error == nil, "reading failed: \(body.error ?? "")")
            if probe.isBehindGateway {
                try expect(body.expectedLength == 0 || body.expectedLength == nil, "expectedLength is \(quoted(body.expectedLength))")
            } else {
                try expectEqual(body.expectedLength, 0, "expectedLength")
            }
            return "no bytes, expectedLength \(body.expectedLength.map(String.init) ?? "nil")"
        },
        ConformanceCase("body-small", ["REQ-12", "CGI-9", "FCGI-1"], "A small declared body arrives whole, its length and Content-Length agreeing.") { probe in
            let sent = Array("hello, conformance\n".utf8)
            let report = try probe.report("/", [("Content-Type", "text/plain")], method: "POST", body: sent)
            try expectEqual(report.body.expectedLength, sent.count, "expectedLength")
            try expectEqual(report.body.bytesRead, sent.count, "bytesRead")
            try expectEqual(report.body.fnv1a64, fnv1a64(sent), "fnv1a64 of the body")
            try expectEqual(report.values("Content-Length"), [String(sent.count)], "Content-Length fields")
            return "\(sent.count) bytes, digest matches"
        },
        ConformanceCase(
            "body-large", ["BODY-2", "REQ-12"], "A 64 MiB body (or the server's body limit, if lower) arrives whole without the server buffering it."
        ) { probe in
            let size = min(64 * 1024 * 1024, probe.target.maxBodyBytes ?? .max)
            // Memory figures before and after compare one process only where one serves all,
            // and only where nothing else runs in it.
            let oneProcess = probe.target.comparesMemory && !probe.capabilities.isRunOnce && !probe.capabilities.isMultiprocess
            let before = oneProcess ? try probe.memory() : nil
            let connection = try probe.connect()
            defer { connection.disconnect() }
            try connection.write(probe.head("PUT", "/", [("X-Probe-Body", "count"), ("Content-Length", String(size))]))
            try connection.writePattern(size)
            let response = try connection.responses.readResponse(method: "PUT")
            try expect(response.status != 413, "answered 413: the server's body limit is below \(size) bytes (tell the suite the limit: --max-body-bytes)")
            let report = try ProbeSession.report(from: response)
            try expectEqual(report.body.bytesRead, size, "bytesRead")
            try expectEqual(report.body.expectedLength, size, "expectedLength")
            let mebibytes = size / (1024 * 1024)
            guard let before, let after = try probe.memory() else {
                let why = probe.target.comparesMemory ? "no memory figures for one process" : "memory not compared: the server shares its process"
                return "\(mebibytes) MiB counted (\(why))"
            }
            let growth = (after.peak - before.peak) / 1024
            try expect(growth < mebibytes / 2, "peak resident memory grew by \(growth) MiB while \(mebibytes) MiB arrived")
            return "\(mebibytes) MiB counted; peak memory grew \(growth) MiB"
        },
        ConformanceCase("body-chunked", ["BODY-7", "REQ-12", "FCGI-1"], "A chunked body arrives de-chunked, its length unknown to the standalone server.") {
            probe in
            let pieces = [pattern(5), pattern(300, from: 5), pattern(1, from: 305)]
            let connection = try probe.connect()
            defer { connection.disconnect() }
            try connection.write(probe.head("POST", "/", [("Transfer-Encoding", "chunked")]))
            try connection.write(chunked(pieces))
            let report = try ProbeSession.report(from: connection.responses.readResponse(method: "POST"))
            let whole = pieces.flatMap { $0 }
            try expectEqual(report.body.bytesRead, whole.count, "bytesRead")
            try expectEqual(report.body.fnv1a64, fnv1a64(whole), "fnv1a64 of the body")
            if !probe.isBehindGateway { try expectEqual(report.body.expectedLength, nil, "expectedLength") }
            return "\(whole.count) bytes without chunk framing"
        },
        ConformanceCase("body-chunked-trailers-dropped", ["BODY-8"], "Request trailers are discarded, never added to headers.") { probe in
            let connection = try probe.connect()
            defer { connection.disconnect() }
            try connection.write(probe.head("POST", "/", [("Transfer-Encoding", "chunked"), ("Trailer", "X-Conformance-Trailer")]))
            try connection.write(chunked([pattern(10)], trailers: [("X-Conformance-Trailer", "late")]))
            let report = try ProbeSession.report(from: connection.responses.readResponse(method: "POST"))
            try expect(report.values("X-Conformance-Trailer").isEmpty, "the trailer reached headers")
            try expectEqual(report.body.bytesRead, 10, "bytesRead")
            return "trailer dropped, body whole"
        },
        ConformanceCase("body-expect-continue", ["BODY-6", "HTTP-6"], "Expect: 100-continue gets a 100 when the body is read, then the body arrives.") {
            probe in
            let connection = try probe.connect()
            defer { connection.disconnect() }
            let body = pattern(100)
            try connection.write(probe.head("POST", "/", [("Content-Length", "100"), ("Expect", "100-continue")]))
            let interim = try connection.responses.readInterim()
            try expectEqual(interim?.status, 100, "the interim response's status")
            try connection.write(body)
            let report = try ProbeSession.report(from: connection.responses.readResponse(method: "POST"))
            try expectEqual(report.body.fnv1a64, fnv1a64(body), "fnv1a64 of the body")
            return "100 Continue, then the body"
        },
        ConformanceCase(
            "body-expect-unread", ["BODY-6", "BODY-5"],
            "An application that refuses (403) without reading the body answers without a 100, and the connection closes."
        ) { probe in
            try probe.requireStandaloneHTTP("the front server answers Expect itself (BODY-6)")
            let connection = try probe.connect()
            defer { connection.disconnect() }
            try connection.write(
                probe.head(
                    "POST", "/",
                    [
                        ("Content-Length", "100000"), ("Expect", "100-continue"), ("X-Probe-Body", "ignore"), ("X-Probe-Status", "403"),
                    ]))
            let response = try connection.responses.readResponse(method: "POST")
            try expect(response.informational.isEmpty, "interim responses \(response.informational.map(\.status)) before the final one")
            try expectEqual(response.status, 403, "status")
            try expect(response.closesConnection, "the response does not say Connection: close")
            try expect(connection.closesWithin(.seconds(2)), "the server kept the connection open")
            return "no 100; answered with Connection: close, then closed"
        },
        ConformanceCase(
            "body-expect-continue-streamed", ["BODY-6"],
            "A response that streams while it reads the body gets 100 before its head, and the body comes back whole."
        ) { probe in
            try probe.requireStandaloneHTTP("the front server answers Expect itself (BODY-6)")
            let connection = try probe.connect()
            defer { connection.disconnect() }
            let body = pattern(3000)
            try connection.write(probe.head("PUT", "/", [("Content-Length", "3000"), ("Expect", "100-continue"), ("X-Probe-Echo", "1")]))
            let interim = try connection.responses.readInterim()
            try expectEqual(interim?.status, 100, "the interim response's status")
            try connection.write(body)
            let response = try connection.responses.readResponse(method: "PUT")
            try expectEqual(response.status, 200, "status")
            try expect(response.isComplete, "the echo ended early (framed \(response.framing))")
            try expectEqual(fnv1a64(response.body), fnv1a64(body), "fnv1a64 of the echo")
            return "100 Continue, then the head and the whole echo"
        },
        ConformanceCase("body-truncated", ["BODY-4", "LIFE-3"], "A body cut short by the client fails the application's read; it never ends normally.") {
            probe in
            try probe.requireCompletionRecords()
            let id = probe.id("truncated")
            let connection = try probe.connect()
            try connection.write(probe.head("POST", "/", [("Content-Length", "100000"), ("X-Probe-Id", id)]))
            try connection.write(pattern(1000))
            connection.closeWrite()
            _ = connection.closesWithin(.seconds(3))
            connection.disconnect()
            let record = try probe.completion(of: id)
            if record.state == "unknown" {
                return "the server did not pass the truncated request on (the application never ran)"
            }
            try expect(record.isCompleted, "the request is still \(record.state) (its body read \(record.bodyError.map { "failed: \($0)" } ?? "not failed"))")
            try expect(
                record.bodyError != nil || record.clientDisconnected == true,
                "the body ended without an error (bodyError null, not a disconnect)")
            return "the read failed: \(record.bodyError ?? record.error ?? "client disconnected")"
        },
        ConformanceCase(
            "body-unread", ["BODY-5", "HTTP-2", "FCGI-7"], "A body the application leaves unread does not corrupt the next request on the connection."
        ) { probe in
            let connection = try probe.connect()
            defer { connection.disconnect() }
            try connection.write(probe.head("POST", "/", [("Content-Length", "1000"), ("X-Probe-Body", "ignore")]))
            try connection.write(pattern(1000))
            let firstResponse = try connection.responses.readResponse(method: "POST")
            try expect(try ProbeSession.report(from: firstResponse).body.ignored, "the probe did not ignore the body")
            if firstResponse.closesConnection {
                return "the server closed the connection after the unread body"
            }
            try connection.write(probe.head("GET", "/after-unread"))
            let second = try ProbeSession.report(from: connection.responses.readResponse())
            try expectEqual(second.pathInfo, "/after-unread", "the next request's pathInfo")
            return "the rest was discarded; the next request was answered on the same connection"
        },
    ]
}

extension ProbeSession {
    /// The probe's process memory (Spec/probe.md §6), `nil` where there is no `/proc`.
    func memory() throws -> (peak: Int, resident: Int)? {
        struct Memory: Decodable {
            let peakResidentKiB: Int?
            let residentKiB: Int?
        }
        let figures = try JSONValueDecoder.decode(Memory.self, from: exchange("GET", "/_probe/memory").body)
        guard let peak = figures.peakResidentKiB, let resident = figures.residentKiB else { return nil }
        return (peak, resident)
    }
}
