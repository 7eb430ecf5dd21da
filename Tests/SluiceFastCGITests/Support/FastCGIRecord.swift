// FastCGI records as a front server sends them, and the ones a responder sends back
// (FastCGI 1.0 section 3.3), written by hand so tests can also send what no server would.

/// Builds the bytes of FastCGI records.
enum FastCGIRecord {
    /// Record types (FastCGI 1.0 section 8).
    enum Kind: UInt8 {
        case beginRequest = 1
        case abortRequest
        case endRequest
        case params
        case standardInput
        case standardOutput
        case standardError
        case data
        case getValues
        case getValuesResult
        case unknownType
    }

    /// END_REQUEST's `protocolStatus` values (FastCGI 1.0 section 5.5).
    enum ProtocolStatus: UInt8 {
        case requestComplete = 0
        case cannotMultiplexConnection
        case overloaded
        case unknownRole
    }

    /// The request id of management records (section 3.3).
    static let managementID: UInt16 = 0

    /// One record: the 8-byte header, the content, and `padding` — by default zeros up to a
    /// multiple of 8, as servers pad.
    static func record(_ kind: Kind, id: UInt16 = 1, _ content: [UInt8] = [], padding: [UInt8]? = nil) -> [UInt8] {
        record(type: kind.rawValue, id: id, content, padding: padding)
    }

    /// One record of a type given by number, which may be one no version defines.
    static func record(type: UInt8, id: UInt16 = 1, _ content: [UInt8] = [], padding: [UInt8]? = nil) -> [UInt8] {
        precondition(content.count <= 0xFFFF && (padding?.count ?? 0) <= 0xFF)
        let padding = padding ?? [UInt8](repeating: 0, count: (8 - content.count % 8) % 8)
        return [
            1, type, UInt8(id >> 8), UInt8(id & 0xFF), UInt8(content.count >> 8), UInt8(content.count & 0xFF),
            UInt8(padding.count), 0,
        ] + content + padding
    }

    /// BEGIN_REQUEST for `role` (1, the responder, unless told: 2 is the authorizer, 3 the
    /// filter), with FCGI_KEEP_CONN when asked.
    static func begin(keepConnection: Bool = false, id: UInt16 = 1, role: UInt8 = 1, padding: [UInt8]? = nil) -> [UInt8] {
        record(.beginRequest, id: id, [0, role, keepConnection ? 1 : 0, 0, 0, 0, 0, 0], padding: padding)
    }

    /// FCGI_GET_VALUES asking for `names`, a management record.
    static func getValues(_ names: [String]) -> [UInt8] {
        record(.getValues, id: managementID, pairs(names.map { ($0, "") }))
    }

    /// A name–value pair's length: one byte below 128, else four with the high bit set.
    static func length(_ count: Int) -> [UInt8] {
        count < 128 ? [UInt8(count)] : [UInt8(0x80 | (count >> 24) & 0x7F), UInt8((count >> 16) & 0xFF), UInt8((count >> 8) & 0xFF), UInt8(count & 0xFF)]
    }

    /// The name–value pairs encoded in `bytes`; nil when a length points past them.
    static func decodePairs(_ bytes: [UInt8]) -> [(String, String)]? {
        var offset = 0
        func length() -> Int? {
            guard offset < bytes.count else { return nil }
            guard bytes[offset] & 0x80 != 0 else {
                offset += 1
                return Int(bytes[offset - 1])
            }
            guard offset + 4 <= bytes.count else { return nil }
            let value = bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) } & 0x7FFF_FFFF
            offset += 4
            return value
        }
        var pairs: [(String, String)] = []
        while offset < bytes.count {
            guard let nameLength = length(), let valueLength = length(), offset + nameLength + valueLength <= bytes.count else { return nil }
            let name = String(decoding: bytes[offset..<(offset + nameLength)], as: UTF8.self)
            let value = String(decoding: bytes[(offset + nameLength)..<(offset + nameLength + valueLength)], as: UTF8.self)
            pairs.append((name, value))
            offset += nameLength + valueLength
        }
        return pairs
    }

    /// The encoded pairs (section 3.4).
    static func pairs(_ pairs: [(String, String)]) -> [UInt8] {
        pairs.flatMap { name, value in length(name.utf8.count) + length(value.utf8.count) + Array(name.utf8) + Array(value.utf8) }
    }

    /// A stream (PARAMS, STDIN): the bytes in records of at most 65535, then the empty record
    /// that ends it.
    static func stream(_ kind: Kind, _ bytes: [UInt8], id: UInt16 = 1) -> [UInt8] {
        var records: [UInt8] = []
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + 0xFFFF)
            records += record(kind, id: id, Array(bytes[offset..<end]))
            offset = end
        }
        return records + record(kind, id: id)
    }

    /// A whole request: BEGIN_REQUEST, the params, and the body on STDIN.
    static func request(_ params: [(String, String)], body: [UInt8] = [], keepConnection: Bool = false) -> [UInt8] {
        begin(keepConnection: keepConnection) + stream(.params, pairs(params)) + stream(.standardInput, body)
    }

    /// The params nginx sends for `method target`, below the mount `/app`.
    static func params(_ method: String = "GET", _ target: String, _ extra: [(String, String)] = []) -> [(String, String)] {
        let query = target.firstIndex(of: "?").map { String(target[target.index(after: $0)...]) } ?? ""
        return [
            ("GATEWAY_INTERFACE", "CGI/1.1"), ("REQUEST_METHOD", method), ("REQUEST_URI", target),
            ("SCRIPT_NAME", "/app"), ("QUERY_STRING", query), ("SERVER_NAME", "localhost"), ("SERVER_PORT", "80"),
            ("SERVER_PROTOCOL", "HTTP/1.1"), ("REMOTE_ADDR", "127.0.0.1"), ("REMOTE_PORT", "40000"),
        ] + extra
    }
}

/// One record as a responder sent it.
struct ReceivedRecord: Sendable {
    /// The record type's number: a ``FastCGIRecord/Kind`` or one no version defines.
    let type: UInt8
    let id: UInt16
    let content: [UInt8]

    var kind: FastCGIRecord.Kind? { FastCGIRecord.Kind(rawValue: type) }
}

/// An END_REQUEST record's body (FastCGI 1.0 section 5.5).
struct RequestEnding: Sendable, Equatable {
    let id: UInt16
    let appStatus: UInt32
    let protocolStatus: UInt8
}

/// What a responder sent back on one connection, records taken apart.
struct FastCGIReply: Sendable {
    /// The request whose END_REQUEST ends the reply; END_REQUEST for others (a refused second
    /// request) is kept in ``records`` and reading goes on.
    var requestID: UInt16 = 1
    /// Every record, in the order it arrived.
    var records: [ReceivedRecord] = []
    /// FCGI_STDOUT: the CGI response (a header block, then the body).
    var output: [UInt8] = []
    /// FCGI_STDERR as text.
    var errors = ""
    /// Whether END_REQUEST for ``requestID`` arrived.
    var ended = false
    /// Whether the responder closed the connection (or reading timed out, when `timedOut`).
    var closed = false
    /// Whether the reply was still incomplete when the time was up.
    var timedOut = false

    /// The status code of the `Status:` line (200 when there is none, as CGI says).
    var status: Int? {
        guard let head = head else { return nil }
        for line in head.split(separator: "\r\n") where line.lowercased().hasPrefix("status:") {
            return Int(line.dropFirst(7).trimmingPrefix(" ").prefix(3))
        }
        return 200
    }

    /// The END_REQUEST records, for any request id, in order.
    var endings: [RequestEnding] {
        records.filter { $0.kind == .endRequest && $0.content.count >= 5 }.map { record in
            RequestEnding(
                id: record.id, appStatus: record.content.prefix(4).reduce(0) { $0 << 8 | UInt32($1) },
                protocolStatus: record.content[4]
            )
        }
    }

    /// The first management record of `kind` (id 0) that arrived.
    func management(_ kind: FastCGIRecord.Kind) -> ReceivedRecord? {
        records.first { $0.id == FastCGIRecord.managementID && $0.kind == kind }
    }

    /// The header block, without the empty line.
    var head: String? {
        let text = String(decoding: output, as: UTF8.self)
        guard let end = text.range(of: "\r\n\r\n") else { return nil }
        return String(text[..<end.lowerBound])
    }

    /// The body after the header block.
    var body: String {
        let text = String(decoding: output, as: UTF8.self)
        guard let end = text.range(of: "\r\n\r\n") else { return "" }
        return String(text[end.upperBound...])
    }

    /// Takes apart the records in `bytes`; stops after END_REQUEST. Returns how many bytes
    /// it used, or nil when a record is incomplete.
    mutating func consume(_ bytes: [UInt8]) -> Int? {
        var offset = 0
        while bytes.count - offset >= 8 {
            let length = Int(bytes[offset + 4]) << 8 | Int(bytes[offset + 5])
            let total = 8 + length + Int(bytes[offset + 6])
            guard bytes.count - offset >= total else { return offset }
            let content = Array(bytes[(offset + 8)..<(offset + 8 + length)])
            let record = ReceivedRecord(type: bytes[offset + 1], id: UInt16(bytes[offset + 2]) << 8 | UInt16(bytes[offset + 3]), content: content)
            records.append(record)
            switch record.kind {
            case .standardOutput: output += content
            case .standardError: errors += String(decoding: content, as: UTF8.self)
            case .endRequest: ended = record.id == requestID
            default: break
            }
            offset += total
            if ended { return offset }
        }
        return offset
    }
}
