// FastCGI records as a front server sends them, and the ones a responder sends back
// (FastCGI 1.0 section 3.3), written by hand so tests can also send what no server would.

/// Builds the bytes of FastCGI records.
enum FastCGIRecord {
    /// Record types (FastCGI 1.0 section 8).
    enum Kind: UInt8 {
        case beginRequest = 1, abortRequest, endRequest, params, standardInput, standardOutput, standardError
    }

    /// One record: the 8-byte header, the content, padding to a multiple of 8.
    static func record(_ kind: Kind, id: UInt16 = 1, _ content: [UInt8] = []) -> [UInt8] {
        precondition(content.count <= 0xFFFF)
        let padding = (8 - content.count % 8) % 8
        return [1, kind.rawValue, UInt8(id >> 8), UInt8(id & 0xFF), UInt8(content.count >> 8), UInt8(content.count & 0xFF),
                UInt8(padding), 0] + content + [UInt8](repeating: 0, count: padding)
    }

    /// BEGIN_REQUEST for the responder role, with FCGI_KEEP_CONN when asked.
    static func begin(keepConnection: Bool = false, id: UInt16 = 1) -> [UInt8] {
        record(.beginRequest, id: id, [0, 1, keepConnection ? 1 : 0, 0, 0, 0, 0, 0])
    }

    /// A name–value pair's length: one byte below 128, else four with the high bit set.
    static func length(_ count: Int) -> [UInt8] {
        count < 128 ? [UInt8(count)] : [UInt8(0x80 | (count >> 24) & 0x7F), UInt8((count >> 16) & 0xFF), UInt8((count >> 8) & 0xFF), UInt8(count & 0xFF)]
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

/// What a responder sent back on one connection, records taken apart.
struct FastCGIReply: Sendable {
    /// FCGI_STDOUT: the CGI response (a header block, then the body).
    var output: [UInt8] = []
    /// FCGI_STDERR as text.
    var errors = ""
    /// Whether END_REQUEST arrived.
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
            switch FastCGIRecord.Kind(rawValue: bytes[offset + 1]) {
            case .standardOutput: output += content
            case .standardError: errors += String(decoding: content, as: UTF8.self)
            case .endRequest: ended = true
            default: break
            }
            offset += total
            if ended { return offset }
        }
        return offset
    }
}
