// Cases for connections and the request lifecycle: keep-alive, pipelining, concurrency,
// slow clients, completion hooks, disconnects reaching the application as cancellation, and
// what a pipeline does after a rejected request.

import Foundation

extension ConformanceSuite {
    static let connectionCases: [ConformanceCase] = [
        ConformanceCase("conn-keep-alive", ["HTTP-2"], "Three requests in turn on one connection are each answered.") { probe in
            let connection = try probe.connect()
            defer { connection.disconnect() }
            for index in 1...3 {
                try connection.write(probe.head("GET", "/keep-alive/\(index)"))
                let response = try connection.responses.readResponse()
                try expectEqual(try ProbeSession.report(from: response).pathInfo, "/keep-alive/\(index)", "pathInfo of request \(index)")
                try expect(index == 3 || !response.closesConnection, "the server closed the connection after request \(index)")
            }
            return "3 requests, one connection"
        },
        ConformanceCase("conn-pipelined", ["HTTP-2"], "Pipelined requests are answered in order.") { probe in
            let connection = try probe.connect()
            defer { connection.disconnect() }
            try connection.write((1...3).map { probe.head("GET", "/pipelined/\($0)", [("X-Probe-Delay", String(100 * (4 - $0)))]) }.joined())
            for index in 1...3 {
                try expectEqual(
                    try ProbeSession.report(from: connection.responses.readResponse()).pathInfo, "/pipelined/\(index)", "response \(index)'s pathInfo")
            }
            return "3 responses in request order (the first was the slowest)"
        },
        ConformanceCase("conn-concurrent", ["APP-2", "REQ-14"], "Eight requests at once are all answered, in parallel where isConcurrent is true.") { probe in
            let count = 8
            // Long enough that connecting and scheduling on a loaded machine (seconds, in CI)
            // cannot make parallel look serial.
            let delay = 1500
            let start = ContinuousClock.now
            let connections = try (0..<count).map { _ in try probe.connect() }
            defer {
                for connection in connections { connection.disconnect() }
            }
            for (index, connection) in connections.enumerated() {
                try connection.write(probe.head("GET", "/concurrent/\(index)", [("X-Probe-Delay", String(delay))]))
            }
            for (index, connection) in connections.enumerated() {
                try expectEqual(try ProbeSession.report(from: connection.responses.readResponse()).pathInfo, "/concurrent/\(index)", "pathInfo")
            }
            let elapsed = ContinuousClock.now - start
            let serial = Duration.milliseconds(count * delay)
            if probe.capabilities.isConcurrent {
                try expect(
                    elapsed < serial * 0.5, "\(count) requests of \(delay) ms took \(elapsed.milliseconds) ms, as if one at a time, but isConcurrent is true")
                return "\(count) × \(delay) ms in \(elapsed.milliseconds) ms"
            }
            if !probe.capabilities.isMultiprocess {
                try expect(
                    elapsed >= serial * 0.95, "\(count) requests of \(delay) ms took \(elapsed.milliseconds) ms: they overlapped, but isConcurrent is false")
                return "one at a time, as isConcurrent false says: \(elapsed.milliseconds) ms"
            }
            return "all answered in \(elapsed.milliseconds) ms (several processes; overlap is theirs)"
        },
        ConformanceCase("sec-slow-client", ["SEC-5"], "A client sending its head slowly does not hold up others.") { probe in
            let slow = try probe.connect()
            defer { slow.disconnect() }
            try slow.write("GET \(probe.path("/slow")) HTTP/1.1\r\nHost: \(probe.target.hostField)\r\nX-Conformance-Slow: ")
            let start = ContinuousClock.now
            _ = try probe.report("/while-slow")
            let elapsed = ContinuousClock.now - start
            try expect(elapsed < .seconds(2), "another request took \(elapsed.milliseconds) ms while a head was incomplete")
            return "answered in \(elapsed.milliseconds) ms beside a stalled head"
        },
        ConformanceCase("life-completion", ["LIFE-3", "FCGI-5"], "A whole response completes once, succeeded, with the bytes sent.") { probe in
            try probe.requireCompletionRecords()
            let id = probe.id("complete")
            let response = try probe.exchange("GET", "/", [("X-Probe-Id", id), ("X-Probe-Stream", "3000"), ("X-Probe-Chunks", "3")])
            try expect(response.isComplete && response.body.count == 3000, "the response was not whole")
            let record = try probe.completion(of: id)
            try expect(record.isCompleted, "the request is \(record.state)")
            try expectEqual(record.succeeded, true, "succeeded")
            try expectEqual(record.status, 200, "status")
            try expectEqual(record.bodyBytesSent, 3000, "bodyBytesSent")
            try expectEqual(record.hookRuns, 1, "hookRuns")
            return "completed once, 3000 bytes, succeeded"
        },
        ConformanceCase(
            "life-disconnect-cancels", ["LIFE-4", "LIFE-3", "FCGI-4"],
            "A client closing mid-stream cancels the application: ClientDisconnected, hooks run once."
        ) { probe in
            try probe.requireCompletionRecords()
            let id = probe.id("gone")
            let connection = try probe.connect()
            try connection.write(
                probe.head(
                    "GET", "/",
                    [
                        ("X-Probe-Id", id), ("X-Probe-Stream", "100000"), ("X-Probe-Chunks", "100"), ("X-Probe-Chunk-Delay", "20"),
                    ]))
            _ = try connection.receive()
            Thread.sleep(forTimeInterval: 0.1)
            connection.disconnect()
            let record = try probe.completion(of: id)
            try expect(record.isCompleted, "the request is still \(record.state) 5 s after the client left")
            try expectEqual(record.clientDisconnected, true, "clientDisconnected (error \(quoted(record.error)))")
            try expectEqual(record.succeeded, false, "succeeded")
            try expectEqual(record.hookRuns, 1, "hookRuns")
            try expect(record.applicationError == nil, "the disconnect was treated as an application error: \(record.applicationError ?? "")")
            return "cancelled after \(record.bodyBytesSent ?? 0) bytes; producer saw cancellation: \(record.sawCancellation ?? false)"
        },
        ConformanceCase(
            "http-pipeline-after-rejection", ["HTTP-8", "SEC-4"],
            "Behind a request in flight, a rejected request is answered after it, then the connection closes; nothing pipelined after it runs."
        ) { probe in
            try probe.requireStandaloneHTTP("the front server frames and pipelines")
            try probe.requireCompletionRecords()
            let smuggled = probe.id("smuggled")
            let connection = try probe.connect()
            defer { connection.disconnect() }
            try connection.write(
                probe.head("GET", "/in-flight", [("X-Probe-Delay", "200")])
                    + probe.head("GET", "/rejected", [("Host", "second.invalid")])
                    + probe.head("GET", "/smuggled", [("X-Probe-Id", smuggled)])
            )
            try expectEqual(try ProbeSession.report(from: connection.responses.readResponse()).pathInfo, "/in-flight", "the first response's pathInfo")
            let rejection = try connection.responses.readResponse()
            try expectEqual(rejection.status, 400, "the second response's status")
            try expect(rejection.closesConnection, "the rejection does not say Connection: close")
            try expect(connection.closesWithin(.seconds(3)), "the server kept the connection open after the rejection")
            try expectEqual(try probe.completion(of: smuggled).state, "unknown", "the state of the request pipelined after the rejection")
            return "200, then 400 and the close; the request behind it never ran"
        },
    ]
}
