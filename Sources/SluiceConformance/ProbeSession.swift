// What cases use to talk to the probe: requests relative to its mount, its reports and
// completion records, and what the first report said about the server.

/// A case does not apply to this server; the suite reports it `not-applicable` with the reason.
struct NotApplicable: Error {
    let reason: String
}

/// The probe on the server under test, as cases see it.
final class ProbeSession {
    let target: ConformanceTarget
    /// The report for a plain `GET` of the mount, taken before any case runs.
    let baseline: ProbeReport
    /// Makes completion ids unique to this run, so runs against one server do not mix.
    private let runToken: String

    init(target: ConformanceTarget) throws {
        self.target = target
        runToken = String(UInt32.random(in: .min ... .max), radix: 36)
        baseline = try Self.firstReport(of: target)
    }

    /// What the server says it can do (Spec REQ-14).
    var capabilities: ProbeReport.Capabilities { baseline.capabilities }

    /// Whether a front server passes requests through CGI or FastCGI: only then does the
    /// probe see meta-variables other than TLS's (the standalone server passes none in
    /// cleartext, and only `HTTPS` and `SSL_*` over TLS, Spec REQ-11, HTTP-9).
    var isBehindGateway: Bool {
        baseline.metaVariables.keys.contains { $0 != "HTTPS" && !$0.hasPrefix("SSL_") }
    }

    /// A completion id unique to this run.
    func id(_ base: String) -> String { "\(base)-\(runToken)" }

    /// The request-target for `relative`, a path (and query) below the mount.
    func path(_ relative: String) -> String { target.mountPath + relative }

    /// A new connection to the server.
    func connect() throws -> Connection {
        try Connection(host: target.host, port: target.port, timeout: target.timeout)
    }

    /// A request head as bytes on the wire: request line, `Host` (unless `host` is false),
    /// the fields, the empty line.
    func head(
        _ method: String = "GET", _ relative: String, _ fields: [(String, String)] = [],
        version: String = "HTTP/1.1", host: Bool = true
    ) -> String {
        var text = "\(method) \(path(relative)) \(version)\r\n"
        if host { text += "Host: \(target.hostField)\r\n" }
        for (name, value) in fields { text += "\(name): \(value)\r\n" }
        return text + "\r\n"
    }

    /// Sends one request on a new connection and reads the response; a body gets a
    /// `Content-Length`.
    func exchange(
        _ method: String = "GET", _ relative: String, _ fields: [(String, String)] = [], body: [UInt8]? = nil
    ) throws -> HTTPResponse {
        let connection = try connect()
        defer { connection.disconnect() }
        let allFields = fields + (body.map { [("Content-Length", String($0.count))] } ?? [])
        try connection.write(head(method, relative, allFields))
        if let body { try connection.write(body) }
        return try connection.responses.readResponse(method: method)
    }

    /// The probe's report for a request, which must be answered 200.
    func report(
        _ relative: String = "/", _ fields: [(String, String)] = [], method: String = "GET", body: [UInt8]? = nil
    ) throws -> ProbeReport {
        try Self.report(from: exchange(method, relative, fields, body: body))
    }

    /// The report in `response`, which must be a 200.
    static func report(from response: HTTPResponse) throws -> ProbeReport {
        try expect(response.status == 200, "status \(response.status), expected 200 with a report: \(response.text.prefix(120).debugDescription)")
        return try ProbeReport.decode(response)
    }

    /// The completion record for `id`, waiting for it to complete up to four fifths of the
    /// target's timeout (the rest is for the answer to arrive): a loaded machine may take
    /// seconds to tell a cancelled request's hooks.
    func completion(of id: String) throws -> CompletionRecord {
        let wait = max(target.timeout * 4 / 5, .milliseconds(500))
        let response = try exchange("GET", "/_probe/completions/\(id)?wait=\(wait.milliseconds)")
        guard response.status == 200 || response.status == 404 else {
            throw CaseFailure(description: "completion record: status \(response.status)")
        }
        let record = try JSONValueDecoder.decode(CompletionRecord.self, from: response.body)
        if record.state == "unknown", capabilities.isMultiprocess {
            throw NotApplicable(reason: "the record of \(id) is in another process (isMultiprocess): run the probe with one worker")
        }
        return record
    }

    /// Throws ``NotApplicable`` when completion records cannot be read back: a run-once server
    /// (CGI) keeps them in a process that has exited.
    func requireCompletionRecords() throws {
        if capabilities.isRunOnce {
            throw NotApplicable(reason: "isRunOnce: completion records die with the process that served the request")
        }
    }

    /// Throws ``NotApplicable`` behind a front server, for rules of chapter 12 that bind only
    /// the standalone HTTP adapter, naming who answers instead.
    func requireStandaloneHTTP(_ why: String) throws {
        if isBehindGateway { throw NotApplicable(reason: "behind a front server (CGI/FastCGI), \(why)") }
    }

    private static func firstReport(of target: ConformanceTarget) throws -> ProbeReport {
        let connection = try Connection(host: target.host, port: target.port, timeout: target.timeout)
        defer { connection.disconnect() }
        try connection.write("GET \(target.mountPath)/ HTTP/1.1\r\nHost: \(target.hostField)\r\nConnection: close\r\n\r\n")
        let report = try report(from: try connection.responses.readResponse())
        try expect(report.probe >= 1, "not a probe report (format version \(report.probe))")
        return report
    }
}
