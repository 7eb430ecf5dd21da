// Cases for the paths no application may be handed: dot segments behind an escaped slash,
// control characters, paths that climb out of the mount (Spec REQ-4, REQ-15).

extension ConformanceSuite {
    static let pathSafetyCases: [ConformanceCase] = [
        refusedPathCase(
            "req-path-dot-segment-behind-encoded-slash", "/x/%2e%2e%2f%2e%2e%2fetc/passwd",
            "A .. that appears once %2F is decoded is answered 400, never handed over."
        ),
        refusedPathCase(
            "req-path-dot-segment-removes-encoded-slash", "/x/a%2Fb/%2e%2e/c",
            "A .. that would remove a segment holding %2F is answered 400, never handed over."
        ),
        refusedPathCase("req-path-nul", "/x/%00y", "A NUL escaped in the path (%00) is answered 400, never handed over."),
        refusedPathCase(
            "req-path-control-character", "/x/%1b%5b2J%7f",
            "An escaped control character (ESC, DEL) in the path is answered 400, never handed over."
        ),
        ConformanceCase("req-path-climbs-out", ["REQ-4", "REQ-15"], "Escaped dot segments never climb out of the mount into pathInfo.") { probe in
            let relative = "/%2e%2e/%2e%2e/etc/passwd"
            let response = try probe.exchange("GET", relative)
            guard response.status == 200, let report = try? ProbeReport.decode(response) else {
                return "the \(answerer(of: response)) answered \(response.status) without the application"
            }
            let path = report.scriptName + report.pathInfo
            try expect(
                isSafePath(report.scriptName) && isSafePath(report.pathInfo),
                "the application saw scriptName \(quoted(report.scriptName)), pathInfo \(quoted(report.pathInfo))")
            try expectEqual(path, "/etc/passwd", "scriptName + pathInfo")
            return "the application saw \(quoted(path)), outside the mount"
        },
        ConformanceCase("http-target-raw-non-ascii", ["HTTP-4"], "A request-target with raw bytes outside ASCII is answered 400.") { probe in
            try probe.requireStandaloneHTTP("the front server parses the request line")
            let connection = try probe.connect()
            defer { connection.disconnect() }
            try connection.write(probe.head("GET", "/w\u{F6}rld"))
            let response = try connection.responses.readResponse()
            try expectEqual(response.status, 400, "status")
            return "400"
        },
    ]

    /// A case that requests `relative` below the mount and expects 400 with the application not
    /// called: no probe report, and — should one come back anyway — its path must be safe.
    private static func refusedPathCase(_ id: String, _ relative: String, _ summary: String) -> ConformanceCase {
        ConformanceCase(id, ["REQ-4", "REQ-15"], summary) { probe in
            let response = try probe.exchange("GET", relative)
            if response.status == 200, let report = try? ProbeReport.decode(response) {
                throw CaseFailure(description: "the application was called with scriptName \(quoted(report.scriptName)), pathInfo \(quoted(report.pathInfo))")
            }
            try expect(response.status == 400, "the \(answerer(of: response)) answered \(response.status), not 400; the application was not called")
            return "400 from the \(answerer(of: response)), the application not called"
        }
    }

    /// Who answered an error: the adapter, whose error body is the status line's text
    /// (`Response.status`), or the front server, with an error page of its own.
    private static func answerer(of response: HTTPResponse) -> String {
        response.text == "\(response.status) \(response.reason)\n" ? "adapter" : "front server"
    }
}

/// Whether a path an application was handed has no `.` or `..` segment and no control character.
func isSafePath(_ path: String) -> Bool {
    let segments = path.split(separator: "/", omittingEmptySubsequences: false)
    return !segments.contains { $0 == "." || $0 == ".." } && !path.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
}
