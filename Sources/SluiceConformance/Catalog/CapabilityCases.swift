// Cases for the capabilities a server declares (Spec REQ-14) that no other case checks.
// Flush, trailers, informational responses and concurrency are checked by their own cases.

extension ConformanceSuite {
    static let capabilityCases: [ConformanceCase] = [
        ConformanceCase("cap-consistent", ["REQ-14"], "Capabilities are the same for every request, and isRunOnce implies !isConcurrent.") { probe in
            let claims = probe.capabilities
            try expect(!(claims.isRunOnce && claims.isConcurrent), "isRunOnce and isConcurrent are both true")
            let again = try probe.report("/again", [("X-Conformance", "1")], method: "POST", body: pattern(10)).capabilities
            try expect(again == claims, "a second request reported \(again), the first \(claims)")
            return describe(claims)
        },
        ConformanceCase(
            "cap-streams-request-body", ["REQ-14", "BODY-2"], "Where streamsRequestBody is true, body bytes reach the application while the client still sends."
        ) { probe in
            guard probe.capabilities.streamsRequestBody else {
                throw NotApplicable(reason: "streamsRequestBody is false: the body may arrive whole")
            }
            let connection = try probe.connect()
            defer { connection.disconnect() }
            let half = pattern(1000)
            try connection.write(probe.head("POST", "/", [("Content-Length", "2000"), ("X-Probe-Echo", "1")]))
            try connection.write(half)
            var early: [UInt8] = []
            while !startsBody(early) {
                guard let more = try connection.receive(within: .seconds(3)) else {
                    throw CaseFailure(description: "the server closed the connection before the body was whole")
                }
                early += more
            }
            connection.responses.push(early)
            try connection.write(pattern(1000, from: 1000))
            let response = try connection.responses.readResponse(method: "POST")
            try expect(response.body == pattern(2000), "the echo is not the body sent")
            return "the echo began before the second half of the body was sent"
        },
    ]

    /// Whether `bytes` hold a response head and at least one byte after it.
    private static func startsBody(_ bytes: [UInt8]) -> Bool {
        let end = Array("\r\n\r\n".utf8)
        guard bytes.count > end.count else { return false }
        return (0..<(bytes.count - end.count)).contains { Array(bytes[$0..<($0 + end.count)]) == end }
    }

    /// The claims that are true, in one line.
    private static func describe(_ claims: ProbeReport.Capabilities) -> String {
        let named: [(String, Bool)] = [
            ("isConcurrent", claims.isConcurrent), ("isMultiprocess", claims.isMultiprocess), ("isRunOnce", claims.isRunOnce),
            ("streamsRequestBody", claims.streamsRequestBody), ("honoursFlush", claims.honoursFlush),
            ("supportsTrailers", claims.supportsTrailers), ("supportsInformationalResponses", claims.supportsInformationalResponses),
            ("supportsWebSocket", claims.supportsWebSocket ?? false),
        ]
        let claimed = named.filter(\.1).map(\.0)
        return claimed.isEmpty ? "claims nothing" : "claims " + claimed.joined(separator: ", ")
    }
}
