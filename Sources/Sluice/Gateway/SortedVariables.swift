// One pass over a request's meta-variables, sorting them into fields, header fields and the rest.

/// The meta-variables of one request, sorted in a single pass (Spec CGI-2, CGI-4, CGI-8).
///
/// The variables with a ``Request`` field of their own are kept by name — the last value
/// passed wins, and an empty one counts as absent — and `HTTP_*` variables become header fields
/// in arrival order. Everything else is a leftover (``isLeftover(_:)``), which
/// ``Request/metaVariables`` gathers only when read. One pass keeps building a request cheap: a
/// FastCGI responder does it for every request.
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

    init(_ variables: MetaVariables) {
        // Room for every field, and for the Content-Type and Content-Length the request adds
        // from `CONTENT_*`: those variables are counted too, so the headers never grow.
        headerFields.reserveCapacity(variables.pairs.count)
        for (name, value) in variables.pairs {
            if name.hasPrefix("HTTP_") {
                if let field = SortedVariables.headerName(forVariable: name) {
                    headerFields.append(Headers.Field(name: field, value: value))
                }
                continue
            }
            let present = value.isEmpty ? nil : value
            if let field = FieldVariable(named: name) {
                file(present, as: field)
                continue
            }
            switch name.utf8.count {
            case 5 where name == "HTTPS": https = present
            case 14 where name == "REQUEST_SCHEME": requestScheme = present
            default: break
            }
        }
    }

    /// Whether a variable belongs in ``Request/metaVariables``: neither a header field nor the
    /// source of a field of its own (Spec CGI-8). `HTTPS` and `REQUEST_SCHEME` are leftovers too.
    static func isLeftover(_ name: String) -> Bool {
        !name.hasPrefix("HTTP_") && FieldVariable(named: name) == nil
    }

    private mutating func file(_ value: String?, as field: FieldVariable) {
        switch field {
        case .requestMethod: requestMethod = value
        case .requestURI: requestURI = value
        case .scriptName: scriptName = value
        case .pathInfo: pathInfo = value
        case .queryString: queryString = value
        case .contentType: contentType = value
        case .contentLength: contentLength = value
        case .serverName: serverName = value
        case .serverPort: serverPort = value
        case .serverProtocol: serverProtocol = value
        case .remoteAddress: remoteAddress = value
        case .remotePort: remotePort = value
        }
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

/// A meta-variable that a ``Request`` field of its own holds, and so not ``Request/metaVariables``.
enum FieldVariable {
    case requestMethod, requestURI, scriptName, pathInfo, queryString, contentType, contentLength
    case serverName, serverPort, serverProtocol, remoteAddress, remotePort

    /// The field a variable fills, or `nil`. Names are told apart by length first, so most
    /// variables cost one or two string comparisons.
    init?(named name: String) {
        switch name.utf8.count {
        case 9 where name == "PATH_INFO": self = .pathInfo
        case 11:
            switch name {
            case "REQUEST_URI": self = .requestURI
            case "SCRIPT_NAME": self = .scriptName
            case "SERVER_NAME": self = .serverName
            case "SERVER_PORT": self = .serverPort
            case "REMOTE_ADDR": self = .remoteAddress
            case "REMOTE_PORT": self = .remotePort
            default: return nil
            }
        case 12:
            switch name {
            case "QUERY_STRING": self = .queryString
            case "CONTENT_TYPE": self = .contentType
            default: return nil
            }
        case 14:
            switch name {
            case "REQUEST_METHOD": self = .requestMethod
            case "CONTENT_LENGTH": self = .contentLength
            default: return nil
            }
        case 15 where name == "SERVER_PROTOCOL": self = .serverProtocol
        default: return nil
        }
    }
}

extension UInt8 {
    /// The byte with ASCII `a`–`z` mapped to `A`–`Z`.
    var asciiUppercased: UInt8 {
        (0x61...0x7A).contains(self) ? self & 0xDF : self
    }
}
