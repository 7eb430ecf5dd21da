// One pass over a request's meta-variables, sorting them into fields, header fields and the rest.

/// The meta-variables of one request, sorted in a single pass (Spec CGI-2, CGI-4, CGI-8).
///
/// The variables with a ``Request`` field of their own are kept by name — the last value
/// passed wins, and an empty one counts as absent — `HTTP_*` variables become header fields
/// in arrival order, and everything else goes to ``others``. One pass keeps building a request
/// cheap: a FastCGI responder does it for every request.
struct SortedVariables {
    var requestMethod: String?
    var requestURI: String?
    var scriptName: String?
    var pathInfo: String?
    var queryString: String?
    var contentType: String?
    var contentLength: String?
    var serverName: String?
    var serverPort: String?
    var serverProtocol: String?
    var remoteAddress: String?
    var remotePort: String?
    var https: String?
    var requestScheme: String?
    /// Header fields from `HTTP_*` variables, in order, repeats kept.
    var headerFields: [Headers.Field] = []
    /// Every variable that is neither mapped to a field nor a header field.
    var others: [String: String] = [:]

    init(_ variables: MetaVariables) {
        headerFields.reserveCapacity(variables.pairs.count)
        others.reserveCapacity(variables.pairs.count)
        for (name, value) in variables.pairs {
            if name.hasPrefix("HTTP_") {
                if let field = SortedVariables.headerName(forVariable: name) {
                    headerFields.append(Headers.Field(name: field, value: value))
                }
                continue
            }
            let present = value.isEmpty ? nil : value
            if fileAsField(name, present) { continue }
            switch name.utf8.count {
            case 5 where name == "HTTPS": https = present
            case 14 where name == "REQUEST_SCHEME": requestScheme = present
            default: break
            }
            others[name] = value
        }
    }

    /// Files a variable that has a ``Request`` field of its own and returns `true`, or returns
    /// `false` for any other. Names are told apart by length first, so most variables cost one
    /// or two string comparisons.
    private mutating func fileAsField(_ name: String, _ present: String?) -> Bool {
        switch name.utf8.count {
        case 9:
            guard name == "PATH_INFO" else { return false }
            pathInfo = present
        case 11:
            switch name {
            case "REQUEST_URI": requestURI = present
            case "SCRIPT_NAME": scriptName = present
            case "SERVER_NAME": serverName = present
            case "SERVER_PORT": serverPort = present
            case "REMOTE_ADDR": remoteAddress = present
            case "REMOTE_PORT": remotePort = present
            default: return false
            }
        case 12:
            switch name {
            case "QUERY_STRING": queryString = present
            case "CONTENT_TYPE": contentType = present
            default: return false
            }
        case 14:
            switch name {
            case "REQUEST_METHOD": requestMethod = present
            case "CONTENT_LENGTH": contentLength = present
            default: return false
            }
        case 15:
            guard name == "SERVER_PROTOCOL" else { return false }
            serverProtocol = present
        default:
            return false
        }
        return true
    }

    /// `HTTP_X_FORWARDED_FOR` as `X-Forwarded-For`; `nil` for a bare `HTTP_` and for
    /// `HTTP_CONTENT_TYPE` and `HTTP_CONTENT_LENGTH`, which `CONTENT_*` supersede.
    static func headerName(forVariable variable: String) -> String? {
        let suffix = variable.utf8.dropFirst(5)
        guard !suffix.isEmpty, variable != "HTTP_CONTENT_TYPE", variable != "HTTP_CONTENT_LENGTH" else { return nil }
        return String(unsafeUninitializedCapacity: suffix.count) { buffer in
            var startsWord = true
            for (offset, byte) in suffix.enumerated() {
                if byte == UInt8(ascii: "_") {
                    buffer[offset] = UInt8(ascii: "-")
                    startsWord = true
                } else {
                    buffer[offset] = startsWord ? byte.asciiUppercased : byte.asciiLowercased
                    startsWord = false
                }
            }
            return suffix.count
        }
    }
}

extension UInt8 {
    /// The byte with ASCII `a`–`z` mapped to `A`–`Z`.
    var asciiUppercased: UInt8 {
        (0x61...0x7A).contains(self) ? self & 0xDF : self
    }
}
