// One pass over a request's meta-variables, sorting them into fields, header fields and the rest.

import Sluice
import SluiceGateway

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
    /// Whether `REDIRECT_URL` was passed: Apache's mark of a request it ran again for another
    /// path (a local redirect, an `ErrorDocument`). It stays a leftover too.
    var isRedirected = false
    /// Header fields from `HTTP_*` variables, in order, repeats kept.
    var headerFields: [Headers.Field] = []
    /// The first `HTTP_*` variable whose field breaks the grammar — a name that is not a token,
    /// CR, LF or NUL in the value — which the request cannot carry (Spec REQ-7).
    var malformedHeader: (name: String, value: String)?

    init(_ variables: MetaVariables) {
        self = variables.withBytes { variables in
            // Built in a local the closure returns: a closure that captured `self` would
            // leave a copy behind, retaining every string in it once more.
            var sorted = SortedVariables()
            // Room for every field, and for the Content-Type and Content-Length the request
            // adds from `CONTENT_*`: those variables are counted too, so the headers never grow.
            sorted.headerFields.reserveCapacity(variables.count)
            for index in 0..<variables.count {
                sorted.sort(name: variables.name(index), value: variables.value(index))
            }
            return sorted
        }
    }

    /// Files one variable: as a header field, as the source of a field, or not at all.
    private mutating func sort(name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) {
        if name.hasNamePrefix("HTTP_") {
            guard let field = SortedVariables.headerName(forVariable: name) else { return }
            if malformedHeader == nil, !field.utf8.allSatisfy(\.isTokenCharacter) || value.contains(where: \.breaksLine) {
                malformedHeader = (String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self))
            }
            headerFields.append(Headers.Field(name: field, value: String(decoding: value, as: UTF8.self)))
            return
        }
        // Strings are made only of the values a field takes: most variables are leftovers.
        let present = { value.isEmpty ? nil : String(decoding: value, as: UTF8.self) }
        if let field = FieldVariable(named: name) {
            file(present(), as: field)
        } else if name.isName("HTTPS") {
            https = present()
        } else if name.isName("REQUEST_SCHEME") {
            requestScheme = present()
        } else if name.isName("REDIRECT_URL") {
            isRedirected = true
        }
    }

    /// No variables yet.
    private init() {}

    /// Whether a variable belongs in ``Request/metaVariables``: neither a header field nor the
    /// source of a field of its own (Spec CGI-8). `HTTPS` and `REQUEST_SCHEME` are leftovers too.
    static func isLeftover(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        !name.hasNamePrefix("HTTP_") && FieldVariable(named: name) == nil
    }

    private mutating func file(_ value: consuming String?, as field: FieldVariable) {
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
    /// `HTTP_CONTENT_TYPE` and `HTTP_CONTENT_LENGTH` in any case, which `CONTENT_*` supersede.
    static func headerName(forVariable variable: UnsafeBufferPointer<UInt8>) -> String? {
        let suffix = variable.dropFirst(5)
        guard !suffix.isEmpty, !variable.isName("HTTP_CONTENT_TYPE"),
            !variable.isName("HTTP_CONTENT_LENGTH")
        else { return nil }
        let name = String(unsafeUninitializedCapacity: suffix.count) { buffer in
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
        // A name spelled in another case is the same field: only a server gone wrong sends one.
        if suffix.count == 12 || suffix.count == 14, name == "Content-Type" || name == "Content-Length" { return nil }
        return name
    }
}

/// A meta-variable that a ``Request`` field of its own holds, and so not ``Request/metaVariables``.
enum FieldVariable {
    case requestMethod, requestURI, scriptName, pathInfo, queryString, contentType, contentLength
    case serverName, serverPort, serverProtocol, remoteAddress, remotePort

    /// The field a variable fills, or `nil`. Names are told apart by length and first byte,
    /// so a variable costs at most one full comparison: every variable of every FastCGI
    /// request goes through here.
    init?(named name: UnsafeBufferPointer<UInt8>) {
        guard let first = name.first else { return nil }
        let candidate: (FieldVariable, StaticString)
        switch (name.count, first) {
        case (9, UInt8(ascii: "P")): candidate = (.pathInfo, "PATH_INFO")
        case (11, UInt8(ascii: "R")):
            switch (name[2], name[7]) {
            case (UInt8(ascii: "Q"), _): candidate = (.requestURI, "REQUEST_URI")
            case (_, UInt8(ascii: "A")): candidate = (.remoteAddress, "REMOTE_ADDR")
            default: candidate = (.remotePort, "REMOTE_PORT")
            }
        case (11, UInt8(ascii: "S")):
            switch (name[1], name[7]) {
            case (UInt8(ascii: "C"), _): candidate = (.scriptName, "SCRIPT_NAME")
            case (_, UInt8(ascii: "N")): candidate = (.serverName, "SERVER_NAME")
            default: candidate = (.serverPort, "SERVER_PORT")
            }
        case (12, UInt8(ascii: "Q")): candidate = (.queryString, "QUERY_STRING")
        case (12, UInt8(ascii: "C")): candidate = (.contentType, "CONTENT_TYPE")
        case (14, UInt8(ascii: "R")): candidate = (.requestMethod, "REQUEST_METHOD")
        case (14, UInt8(ascii: "C")): candidate = (.contentLength, "CONTENT_LENGTH")
        case (15, UInt8(ascii: "S")): candidate = (.serverProtocol, "SERVER_PROTOCOL")
        default: return nil
        }
        guard name.isName(candidate.1) else { return nil }
        self = candidate.0
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// Whether these bytes are the name, compared as bytes, with no string made.
    @inline(__always)
    func isName(_ name: StaticString) -> Bool {
        count == name.utf8CodeUnitCount && hasNamePrefix(name)
    }

    /// Whether these bytes start with the name's.
    @inline(__always)
    func hasNamePrefix(_ name: StaticString) -> Bool {
        guard count >= name.utf8CodeUnitCount, let bytes = baseAddress else { return name.utf8CodeUnitCount == 0 }
        return Self.equal(bytes, name.utf8Start, count: name.utf8CodeUnitCount)
    }

    /// Whether these bytes are the other's, byte for byte.
    func isSame(as other: UnsafeBufferPointer<UInt8>) -> Bool {
        guard count == other.count else { return false }
        guard let bytes = baseAddress, let others = other.baseAddress else { return true }
        return Self.equal(bytes, others, count: count)
    }

    /// Whether `count` bytes at two places are equal: eight at a time, the last eight
    /// overlapping the ones before when `count` is not a multiple of eight, so that a
    /// variable's name (most are 9 to 15 bytes) takes two comparisons instead of one per byte;
    /// four at a time, the same way, below eight (`HTTP_` is five).
    @inline(__always)
    private static func equal(_ left: UnsafePointer<UInt8>, _ right: UnsafePointer<UInt8>, count: Int) -> Bool {
        let left = UnsafeRawPointer(left)
        let right = UnsafeRawPointer(right)
        guard count >= 8 else {
            guard count >= 4 else {
                for offset in 0..<count where left.load(fromByteOffset: offset, as: UInt8.self) != right.load(fromByteOffset: offset, as: UInt8.self) {
                    return false
                }
                return true
            }
            return left.loadUnaligned(as: UInt32.self) == right.loadUnaligned(as: UInt32.self)
                && left.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self) == right.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)
        }
        var offset = 0
        while true {
            let start = Swift.min(offset, count - 8)
            guard
                left.loadUnaligned(fromByteOffset: start, as: UInt64.self)
                    == right.loadUnaligned(fromByteOffset: start, as: UInt64.self)
            else { return false }
            offset += 8
            if start == count - 8 { return true }
        }
    }
}

extension UInt8 {
    /// Whether the byte is CR, LF or NUL, which no field value may hold (Spec REQ-7).
    var breaksLine: Bool {
        self == 0x0D || self == 0x0A || self == 0
    }

    /// The byte with ASCII `a`–`z` mapped to `A`–`Z`.
    var asciiUppercased: UInt8 {
        (0x61...0x7A).contains(self) ? self & 0xDF : self
    }
}
