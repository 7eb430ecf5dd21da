// Building a Request from CGI meta-variables: the mapping Spec chapter CGI defines.

public import Sluice
import SluiceGateway

extension Request {
    /// Creates a request from the meta-variables a CGI or FastCGI server passed (Spec CGI-1 to CGI-9).
    ///
    /// - Throws: ``MetaVariableError/missing(name:)`` without `REQUEST_METHOD`;
    ///   ``MetaVariableError/invalid(name:value:)`` when the method is not a token or
    ///   `CONTENT_LENGTH` not a number, or when an `HTTP_*` variable or `CONTENT_TYPE` makes a
    ///   field that breaks the grammar (Spec REQ-7); ``MetaVariableError/unsafePath(name:reason:)`` when the
    ///   path would hold a dot segment or a control character (Spec REQ-15).
    public init(
        metaVariables: MetaVariables,
        body: RequestBody,
        errorLog: ErrorLog,
        capabilities: ServerCapabilities,
        pathSplit: PathSplit
    ) throws(MetaVariableError) {
        try self.init(metaVariables: metaVariables, errorLog: errorLog, capabilities: capabilities, pathSplit: pathSplit) { _ in body }
    }

    /// Creates a request from the meta-variables a server passed, with the body `makeBody`
    /// makes for the length `CONTENT_LENGTH` declares (`nil` when absent or empty): for an
    /// adapter whose body source needs that length, which is then read from the variables once.
    ///
    /// - Throws: as ``init(metaVariables:body:errorLog:capabilities:pathSplit:)``, before
    ///   `makeBody` is called.
    public init(
        metaVariables: MetaVariables,
        errorLog: ErrorLog,
        capabilities: ServerCapabilities,
        pathSplit: PathSplit,
        body makeBody: (_ declaredLength: Int?) -> RequestBody
    ) throws(MetaVariableError) {
        // Values the request keeps are taken out of `variables`, not copied: each copy of a
        // string retains it, and a FastCGI responder builds a request for every request.
        var variables = SortedVariables(metaVariables)
        guard let method = variables.requestMethod.take() else { throw .missing(name: "REQUEST_METHOD") }
        guard method.utf8.allSatisfy(\.isTokenCharacter) else { throw .invalid(name: "REQUEST_METHOD", value: method) }
        let contentLength = try MetaVariables.contentLength(parsing: variables.contentLength.take())

        if let malformed = variables.malformedHeader { throw .invalid(name: malformed.name, value: malformed.value) }
        let https = variables.https.take().map(Request.isOn) ?? false
        let scheme = https ? "https" : (variables.requestScheme.take().flatMap { $0 == "http" || $0 == "https" ? $0 : nil } ?? "http")
        var headers = Headers(variables.headerFields)
        if let type = variables.contentType.take() {
            guard !type.utf8.contains(where: \.breaksLine) else { throw .invalid(name: "CONTENT_TYPE", value: type) }
            headers.append(name: "Content-Type", value: type)
        }
        if let contentLength {
            headers.append(name: "Content-Length", value: String(contentLength))
        }
        let queryString = variables.queryString.take() ?? ""
        let passedTarget = variables.requestURI.take().flatMap { $0.utf8.first == UInt8(ascii: "/") ? $0 : nil }
        let target = passedTarget ?? Request.rebuiltTarget(variables, queryString: queryString)
        let (scriptName, pathInfo) = try Request.mountedPath(passedTarget: passedTarget, variables, pathSplit)

        self.init(
            method: Method(rawValue: method),
            target: target,
            scriptName: scriptName,
            pathInfo: pathInfo,
            queryString: queryString,
            headers: headers,
            // A name that is empty once its brackets or port are gone counts as absent (REQ-8).
            serverName: variables.serverName.take().map(Request.bracketsRemoved).flatMap(Request.nonEmpty)
                ?? headers["Host"].map { Authority($0).host }.flatMap(Request.nonEmpty) ?? "localhost",
            serverPort: variables.serverPort.take().flatMap(Request.port).flatMap { $0 > 0 ? $0 : nil } ?? (https ? 443 : 80),
            serverProtocol: variables.serverProtocol.take().flatMap(Request.httpVersion) ?? "HTTP/1.0",
            scheme: scheme,
            remoteAddress: variables.remoteAddress.take() ?? "",
            remotePort: variables.remotePort.take().flatMap(Request.port),
            metaVariableStorage: .passed(metaVariables),
            body: makeBody(contentLength),
            errorLog: errorLog,
            capabilities: capabilities,
            configuration: Configuration()
        )
    }

    /// A request-target rebuilt from `SCRIPT_NAME`, `PATH_INFO` and `QUERY_STRING` for servers
    /// that pass no `REQUEST_URI` (RFC 3875 section 3.3).
    static func rebuiltTarget(_ variables: SortedVariables, queryString: String) -> String {
        let path = percentEncodedPath((variables.scriptName ?? "") + (variables.pathInfo ?? ""))
        let rooted = path.startsWithSlash ? path : "/" + path
        return queryString.isEmpty ? rooted : rooted + "?" + queryString
    }

    /// Whether an `HTTPS` value means on: `on`, `1` or `yes`, in any case.
    private static func isOn(_ https: String) -> Bool {
        https == "1" || https.equalsIgnoringASCIICase("on") || https.equalsIgnoringASCIICase("yes")
    }

    /// A port number 0...65535 written in decimal digits, or `nil` (Spec CGI-6).
    static func port(_ text: String) -> Int? {
        // One pass over the bytes: the digits are checked and their value summed together.
        var port = 0
        var digits = 0
        for byte in text.utf8 {
            guard digits < 5, byte.isDecimalDigit else { return nil }
            port = port * 10 + Int(byte - UInt8(ascii: "0"))
            digits += 1
        }
        return digits > 0 && port <= 65535 ? port : nil
    }

    /// `HTTP/d.d` or `HTTP/d` as given, `INCLUDED` (server-side includes) as `HTTP/1.0`, else `nil` (Spec CGI-6).
    static func httpVersion(_ text: String) -> String? {
        if text == "INCLUDED" { return "HTTP/1.0" }
        return FieldGrammar.isHTTPVersion(text) ? text : nil
    }

    /// `SERVER_NAME` without IPv6 brackets (Spec REQ-8): Apache and lighttpd pass the host of
    /// a `Host: [::1]:8080` request as `[::1]`.
    static func bracketsRemoved(_ serverName: String) -> String {
        serverName.utf8.first == UInt8(ascii: "[") && serverName.utf8.last == UInt8(ascii: "]")
            ? String(serverName.dropFirst().dropLast()) : serverName
    }

    /// The text, or `nil` when it is empty.
    private static func nonEmpty(_ text: String) -> String? {
        text.isEmpty ? nil : text
    }
}

/// Percent-encodes the bytes of a decoded path that may not appear raw in one (RFC 3986 section 3.3).
func percentEncodedPath(_ path: String) -> String {
    var encoded = ""
    for byte in path.utf8 {
        if byte.isUnreservedOrPathCharacter {
            encoded.unicodeScalars.append(Unicode.Scalar(byte))
        } else {
            let hex = Array("0123456789ABCDEF".utf8)
            encoded += "%"
            encoded.unicodeScalars.append(Unicode.Scalar(hex[Int(byte >> 4)]))
            encoded.unicodeScalars.append(Unicode.Scalar(hex[Int(byte & 0xF)]))
        }
    }
    return encoded
}

extension UInt8 {
    /// Whether the byte may stand unescaped in a path: unreserved, sub-delims, `:`, `@`, `/`.
    var isUnreservedOrPathCharacter: Bool {
        switch self {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "!"), UInt8(ascii: "$"),
            UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: "+"),
            UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "="), UInt8(ascii: ":"), UInt8(ascii: "@"), UInt8(ascii: "/"):
            true
        default:
            false
        }
    }
}
