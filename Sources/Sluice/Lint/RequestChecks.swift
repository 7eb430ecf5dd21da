// The checks of the request a server hands to an application (Spec REQ-1 to REQ-14, APP-4).

/// Checks a request as the server built it, before the application sees it.
enum RequestChecks {
    /// Every rule the request breaks; empty for a valid one.
    static func violations(of request: Request) -> [LintViolation] {
        var found = targetViolations(request) + fieldViolations(request)
        if RequestContext.current !== request.context {
            found.append(.server("APP-4", "RequestContext.current is not this request's context"))
        }
        return found
    }

    /// The method, target, path split and query (REQ-1 to REQ-5).
    private static func targetViolations(_ request: Request) -> [LintViolation] {
        var found: [LintViolation] = []
        let method = request.method.rawValue
        if !FieldGrammar.isToken(method) {
            found.append(.server("REQ-1", "method \(quoted(method)) is not a token"))
        }
        let target = request.target
        let targetIsValid = target.startsWithSlash || (target == "*" && request.method == .options)
        if !targetIsValid {
            found.append(.server("REQ-2", "target \(quoted(target)) neither starts with \"/\" nor is \"*\" for OPTIONS"))
        }
        let scriptName = request.scriptName
        if !scriptName.isEmpty, !scriptName.startsWithSlash || scriptName.endsWithSlash {
            found.append(.server("REQ-3", "scriptName \(quoted(scriptName)) must be empty or start with \"/\" and not end with one"))
        }
        if !request.pathInfo.isEmpty, !request.pathInfo.startsWithSlash {
            found.append(.server("REQ-3", "pathInfo \(quoted(request.pathInfo)) must be empty or start with \"/\""))
        }
        found += pathViolations(request)
        guard targetIsValid else { return found }
        let parsed = RequestTarget(target)
        let decodedPath: String
        do {
            decodedPath = try parsed.checkedDecodedPath()
        } catch {
            found.append(.server("REQ-15", "the server handed over target \(quoted(target)), which it must refuse: \(error)"))
            return found
        }
        // Behind a front server (meta-variables passed) a request re-run for another path is
        // routed by what the front server ran (Spec REQ-3, CGI-3): only other requests must agree.
        guard !request.metaVariableStorage.isFromFrontServer else { return found }
        if request.path != decodedPath {
            found.append(
                .server(
                    "REQ-4",
                    "scriptName + pathInfo \(quoted(request.path)) is not the decoded path \(quoted(decodedPath)) of target \(quoted(target))"
                ))
        }
        if request.queryString != parsed.query {
            found.append(
                .server(
                    "REQ-5",
                    "queryString \(quoted(request.queryString)) is not the query \(quoted(parsed.query)) of target \(quoted(target))"
                ))
        }
        return found
    }

    /// A dot segment or a control character in scriptName or pathInfo (REQ-15).
    private static func pathViolations(_ request: Request) -> [LintViolation] {
        [("scriptName", request.scriptName), ("pathInfo", request.pathInfo)].compactMap { name, path in
            UnsafePath.reason(inDecoded: path.utf8).map { reason in
                .server("REQ-15", "\(name) \(quoted(path)) may not reach an application: \(reason)")
            }
        }
    }

    /// Header fields, server and peer fields, meta-variables, body length and capabilities
    /// (REQ-7 to REQ-14).
    private static func fieldViolations(_ request: Request) -> [LintViolation] {
        var found = FieldGrammar.violations(of: request.headers, kind: "request header", rule: "REQ-7", party: .server)
        if request.serverName.isEmpty {
            found.append(.server("REQ-8", "serverName is empty"))
        }
        if !(1...65535).contains(request.serverPort) {
            found.append(.server("REQ-8", "serverPort \(request.serverPort) is not in 1...65535"))
        }
        if !FieldGrammar.isHTTPVersion(request.serverProtocol) {
            found.append(.server("REQ-8", "serverProtocol \(quoted(request.serverProtocol)) is not HTTP/d.d"))
        }
        if request.scheme != "http", request.scheme != "https" {
            found.append(.server("REQ-9", "scheme \(quoted(request.scheme)) is neither \"http\" nor \"https\""))
        }
        if !request.remoteAddress.utf8.allSatisfy(isAddressCharacter) {
            found.append(.server("REQ-10", "remoteAddress \(quoted(request.remoteAddress)) is not an IP address"))
        }
        if let port = request.remotePort, !(0...65535).contains(port) {
            found.append(.server("REQ-10", "remotePort \(port) is not in 0...65535"))
        }
        for name in request.metaVariables.keys.sorted() where name.hasPrefix("HTTP_") {
            found.append(.server("REQ-11", "metaVariables holds \(quoted(name)); HTTP_* variables belong in headers"))
        }
        found += contentLengthViolations(request)
        let capabilities = request.capabilities
        if capabilities.isRunOnce, capabilities.isConcurrent {
            found.append(.server("REQ-14", "capabilities claim both isRunOnce and isConcurrent"))
        }
        return found
    }

    /// A declared `Content-Length` that is not one number equal to `body.expectedLength` (REQ-12).
    private static func contentLengthViolations(_ request: Request) -> [LintViolation] {
        let values = request.headers.values(for: "Content-Length")
        guard let value = values.first else { return [] }
        let expected = request.body.expectedLength.map(String.init) ?? "nil"
        guard values.count == 1, FieldGrammar.isDigits(value), let declared = Int(value) else {
            return [.server("REQ-12", "Content-Length \(quoted(values.joined(separator: ", "))) is not one number")]
        }
        guard declared == request.body.expectedLength else {
            return [.server("REQ-12", "Content-Length \(quoted(value)) differs from body.expectedLength \(expected)")]
        }
        return []
    }

    /// Whether the byte can appear in IPv4 or IPv6 text, zone identifier included.
    private static func isAddressCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
            true
        default:
            byte == UInt8(ascii: ".") || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "%")
        }
    }
}
