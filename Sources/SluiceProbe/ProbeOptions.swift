// What a request asks the probe to do, from X-Probe-* header fields or probe-* query parameters.

public import Sluice
import SluiceToolkit

/// The options a request gives the probe (Spec/probe.md, "Options").
///
/// Each option `name` is read from the header field `X-Probe-Name` and from the query
/// parameter `probe-name` (percent-decoded); header fields come first. Repeatable options
/// (`header`, `trailer`, `early-hint`) collect every occurrence of both.
public struct ProbeOptions: Sendable {
    /// The id under which the probe records the request's completion (`id`).
    public var id: String?
    /// The final status (`status`); 200 when absent.
    public var status = Response.Status.ok
    /// Extra response header fields (`header`, `Name: value`, repeatable).
    public var headers = Headers()
    /// Trailer fields sent after the body (`trailer`, `Name: value`, repeatable).
    public var trailers = Headers()
    /// `Link` values sent in one 103 Early Hints response before the final one (`early-hint`).
    public var earlyHints: [String] = []
    /// Milliseconds to wait before answering (`delay`).
    public var delay = 0
    /// Send this many bytes of the pattern instead of the report (`stream`).
    public var streamBytes: Int?
    /// In how many writes, each flushed, the stream goes out (`chunks`); 1 when absent.
    public var chunks = 1
    /// Milliseconds to wait between chunks (`chunk-delay`).
    public var chunkDelay = 0
    /// Whether the stream declares its length in `Content-Length` (`length: declared`).
    public var declaresLength = false
    /// Send the request body back as it arrives instead of the report (`echo`).
    public var echoes = false
    /// Where to fail, if at all (`fail`).
    public var failure: Failure?
    /// How much of the request body to read (`body`).
    public var bodyReading = BodyReading.digest
    /// Answer with a local redirect to this path instead (`local-redirect`, Spec CGI-11, HTTP-5).
    public var localRedirect: String?
    /// A line to write to the error log (`log`).
    public var logLine: String?

    /// Where the probe fails when asked to.
    public enum Failure: String, Sendable {
        /// `respond(to:)` throws: the server answers 500 (Spec ERR-1).
        case beforeHead = "before-head"
        /// The body producer writes and flushes a few bytes, then throws: an abort (Spec ERR-2).
        case afterHead = "after-head"
    }

    /// How the probe treats the request body.
    public enum BodyReading: String, Sendable {
        /// Read it all and compute its digests: the default.
        case digest
        /// Read it all and count it, without digests: fast for very large bodies.
        case count
        /// Leave it unread: the server must cope (Spec BODY-5).
        case ignore
    }

    /// Why a request's options cannot be followed; the probe answers 400 with it.
    public struct Invalid: Error, CustomStringConvertible {
        /// The option's name and what is wrong with its value.
        public var description: String
    }

    /// The options `request` gives.
    public init(_ request: Request) throws(Invalid) {
        let source = OptionSource(request)
        id = source.values("id").first
        if let code = try source.number("status") {
            guard (200...599).contains(code) else { throw Invalid(description: "status \(code) is not in 200...599") }
            status = Response.Status(code: code)
        }
        headers = try source.fields("header")
        trailers = try source.fields("trailer")
        earlyHints = source.values("early-hint")
        delay = try source.number("delay") ?? 0
        streamBytes = try source.number("stream")
        chunks = max(1, try source.number("chunks") ?? 1)
        chunkDelay = try source.number("chunk-delay") ?? 0
        declaresLength = source.values("length").first == "declared"
        echoes = source.values("echo").first.map { $0 != "0" } ?? false
        if let name = source.values("fail").first {
            guard let failure = Failure(rawValue: name) else {
                throw Invalid(description: "fail \"\(name)\" is neither before-head nor after-head")
            }
            self.failure = failure
        }
        if let name = source.values("body").first {
            guard let reading = BodyReading(rawValue: name) else {
                throw Invalid(description: "body \"\(name)\" is none of digest, count and ignore")
            }
            bodyReading = reading
        }
        localRedirect = source.values("local-redirect").first
        logLine = source.values("log").first
    }
}

/// Option values from a request's header fields and query string.
private struct OptionSource {
    let headers: Headers
    let query: FormFields

    /// The options of `request`; a query that is no form (a malformed escape) holds none.
    init(_ request: Request) {
        headers = request.headers
        query = (try? request.query()) ?? FormFields()
    }

    /// Every value of the option, header fields first, then query parameters.
    func values(_ name: String) -> [String] {
        headers.values(for: "X-Probe-" + name) + query.values(for: "probe-" + name)
    }

    /// The option's first value as a non-negative number.
    func number(_ name: String) throws(ProbeOptions.Invalid) -> Int? {
        guard let text = values(name).first else { return nil }
        guard let number = Int(text), number >= 0 else {
            throw ProbeOptions.Invalid(description: "\(name) \"\(text)\" is not a non-negative number")
        }
        return number
    }

    /// Every value of the option, each `Name: value`, as fields.
    func fields(_ name: String) throws(ProbeOptions.Invalid) -> Headers {
        var fields = Headers()
        for text in values(name) {
            let parts = text.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw ProbeOptions.Invalid(description: "\(name) \"\(text)\" is not \"Name: value\"")
            }
            fields.append(name: String(parts[0]), value: String(parts[1].drop { $0 == " " }))
        }
        return fields
    }
}
