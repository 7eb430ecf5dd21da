// CurlRequest.swift — one request to make with the real curl, and its command line.
public import Foundation

/// A request for `Curl` to make: URL, method, headers, body and the curl options
/// integration tests need.
public struct CurlRequest: Sendable {
    /// Where the request body comes from.
    public enum Body: Sendable {
        /// The contents of a file, sent with `--data-binary @file`. With `chunked`, sent
        /// with `Transfer-Encoding: chunked` instead of a Content-Length.
        case file(URL, chunked: Bool = false)
        /// These bytes (written to a scratch file first), optionally chunked.
        case bytes(Data, chunked: Bool = false)
    }

    /// The URL, used as given (no globbing of `[]{}`).
    public var url: String
    /// The method (`-X`); nil means GET, or POST when there is a body.
    public var method: String?
    /// Extra header fields, in order; an empty value sends the field empty.
    public var headers: [HTTPHeaderField]
    /// The request body, if any.
    public var body: Body?
    /// Send HEAD with `-I`, so curl does not wait for a body.
    public var isHead: Bool
    /// Send the path as written, without curl resolving `./` and `../` (`--path-as-is`).
    public var sendsPathAsIs: Bool
    /// The limit on the whole transfer (`--max-time`).
    public var maxTime: Duration
    /// Further curl arguments, placed before the URL.
    public var extraArguments: [String]

    /// Describes a request; by default a GET of `url` with a 20 s limit.
    public init(
        _ url: String,
        method: String? = nil,
        headers: [HTTPHeaderField] = [],
        body: Body? = nil,
        isHead: Bool = false,
        sendsPathAsIs: Bool = false,
        maxTime: Duration = .seconds(20),
        extraArguments: [String] = []
    ) {
        self.url = url
        self.method = method
        self.headers = headers
        self.body = body
        self.isHead = isHead
        self.sendsPathAsIs = sendsPathAsIs
        self.maxTime = maxTime
        self.extraArguments = extraArguments
    }

    /// curl's arguments, given where the header dump goes, where the body goes (nil:
    /// standard output, unbuffered) and which file holds the request body.
    func arguments(headerDump: String, bodyOutput: String?, bodyFile: String?) -> [String] {
        // -q first: ignore any ~/.curlrc. -sS: no progress meter, but errors.
        var arguments = ["-q", "-sS", "--globoff", "--max-time", Self.seconds(maxTime), "-D", headerDump]
        if let bodyOutput {
            arguments += ["-o", bodyOutput]
        } else {
            arguments += ["-N"]
        }
        if isHead {
            arguments.append("-I")
        }
        if sendsPathAsIs {
            arguments.append("--path-as-is")
        }
        if let method {
            arguments += ["-X", method]
        }
        for field in headers {
            // curl drops "Name:" (an empty value); "Name;" sends it empty.
            arguments += ["-H", field.value.isEmpty ? "\(field.name);" : "\(field.name): \(field.value)"]
        }
        if let bodyFile {
            arguments += ["--data-binary", "@" + bodyFile]
            if isChunked {
                arguments += ["-H", "Transfer-Encoding: chunked"]
            }
        }
        return arguments + extraArguments + [url]
    }

    private var isChunked: Bool {
        switch body {
        case .file(_, let chunked), .bytes(_, let chunked): chunked
        case nil: false
        }
    }

    private static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return String(format: "%.3f", Double(seconds) + Double(attoseconds) / 1e18)
    }
}
