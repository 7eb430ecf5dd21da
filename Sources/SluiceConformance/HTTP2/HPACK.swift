// HPACK (RFC 7541), as much as a test client needs: literal fields out, everything a server may
// send in.

/// Encodes a header block as literals without indexing and without Huffman coding — valid for
/// every decoder, and what a test client wants: each field exactly as given, nothing remembered
/// between blocks.
enum HPACKEncoder {
    static func encode(_ fields: [(String, String)]) -> [UInt8] {
        var block: [UInt8] = []
        for (name, value) in fields {
            block.append(0)  // literal without indexing, new name
            appendString(Array(name.utf8), to: &block)
            appendString(Array(value.utf8), to: &block)
        }
        return block
    }

    private static func appendString(_ bytes: [UInt8], to block: inout [UInt8]) {
        HPACKInteger.append(bytes.count, prefixBits: 7, flags: 0, to: &block)
        block += bytes
    }
}

/// HPACK's integers (RFC 7541 §5.1).
enum HPACKInteger {
    static func append(_ value: Int, prefixBits: Int, flags: UInt8, to block: inout [UInt8]) {
        let limit = (1 << prefixBits) - 1
        guard value >= limit else { return block.append(flags | UInt8(value)) }
        block.append(flags | UInt8(limit))
        var rest = value - limit
        while rest >= 128 {
            block.append(UInt8(rest % 128) | 0x80)
            rest /= 128
        }
        block.append(UInt8(rest))
    }

    /// The integer at `offset`, whose first byte holds `prefixBits` of it; moves `offset` past it.
    static func read(_ bytes: [UInt8], at offset: inout Int, prefixBits: Int) throws -> Int {
        guard offset < bytes.count else { throw HPACKError(description: "a header block ends inside an integer") }
        let limit = (1 << prefixBits) - 1
        var value = Int(bytes[offset]) & limit
        offset += 1
        guard value == limit else { return value }
        var shift = 0
        while true {
            guard offset < bytes.count, shift < 28 else { throw HPACKError(description: "an HPACK integer is malformed") }
            let byte = bytes[offset]
            offset += 1
            value += Int(byte & 0x7f) << shift
            shift += 7
            if byte & 0x80 == 0 { return value }
        }
    }
}

/// A header block the client cannot decode.
struct HPACKError: Error, CustomStringConvertible {
    let description: String
}

/// Decodes the header blocks of one connection, keeping its dynamic table (RFC 7541 §2.3).
struct HPACKDecoder {
    /// The static table (RFC 7541 Appendix A).
    static let staticTable: [(String, String)] = [
        (":authority", ""), (":method", "GET"), (":method", "POST"), (":path", "/"),
        (":path", "/index.html"), (":scheme", "http"), (":scheme", "https"), (":status", "200"),
        (":status", "204"), (":status", "206"), (":status", "304"), (":status", "400"),
        (":status", "404"), (":status", "500"), ("accept-charset", ""),
        ("accept-encoding", "gzip, deflate"), ("accept-language", ""), ("accept-ranges", ""),
        ("accept", ""), ("access-control-allow-origin", ""), ("age", ""), ("allow", ""),
        ("authorization", ""), ("cache-control", ""), ("content-disposition", ""),
        ("content-encoding", ""), ("content-language", ""), ("content-length", ""),
        ("content-location", ""), ("content-range", ""), ("content-type", ""), ("cookie", ""),
        ("date", ""), ("etag", ""), ("expect", ""), ("expires", ""), ("from", ""), ("host", ""),
        ("if-match", ""), ("if-modified-since", ""), ("if-none-match", ""), ("if-range", ""),
        ("if-unmodified-since", ""), ("last-modified", ""), ("link", ""), ("location", ""),
        ("max-forwards", ""), ("proxy-authenticate", ""), ("proxy-authorization", ""), ("range", ""),
        ("referer", ""), ("refresh", ""), ("retry-after", ""), ("server", ""), ("set-cookie", ""),
        ("strict-transport-security", ""), ("transfer-encoding", ""), ("user-agent", ""), ("vary", ""),
        ("via", ""), ("www-authenticate", ""),
    ]

    private var dynamic: [(String, String)] = []
    private var size = 0
    private var maximumSize = 4096

    mutating func decode(_ bytes: [UInt8]) throws -> [(String, String)] {
        var fields: [(String, String)] = []
        var offset = 0
        while offset < bytes.count {
            let first = bytes[offset]
            if first & 0x80 != 0 {
                fields.append(try entry(HPACKInteger.read(bytes, at: &offset, prefixBits: 7)))
            } else if first & 0x40 != 0 {
                let field = try literal(bytes, at: &offset, prefixBits: 6)
                fields.append(field)
                insert(field)
            } else if first & 0x20 != 0 {
                maximumSize = try HPACKInteger.read(bytes, at: &offset, prefixBits: 5)
                evict(toFit: 0)
            } else {
                fields.append(try literal(bytes, at: &offset, prefixBits: 4))
            }
        }
        return fields
    }

    private func entry(_ index: Int) throws -> (String, String) {
        if index >= 1, index <= Self.staticTable.count { return Self.staticTable[index - 1] }
        let dynamicIndex = index - Self.staticTable.count - 1
        guard dynamicIndex >= 0, dynamicIndex < dynamic.count else { throw HPACKError(description: "HPACK index \(index) is not in the table") }
        return dynamic[dynamicIndex]
    }

    private func literal(_ bytes: [UInt8], at offset: inout Int, prefixBits: Int) throws -> (String, String) {
        let index = try HPACKInteger.read(bytes, at: &offset, prefixBits: prefixBits)
        let name = index == 0 ? try string(bytes, at: &offset) : try entry(index).0
        return (name, try string(bytes, at: &offset))
    }

    private func string(_ bytes: [UInt8], at offset: inout Int) throws -> String {
        guard offset < bytes.count else { throw HPACKError(description: "a header block ends before a string") }
        let isHuffman = bytes[offset] & 0x80 != 0
        let length = try HPACKInteger.read(bytes, at: &offset, prefixBits: 7)
        guard offset + length <= bytes.count else { throw HPACKError(description: "a string runs past its header block") }
        let raw = bytes[offset..<(offset + length)]
        offset += length
        guard isHuffman else { return String(decoding: raw, as: UTF8.self) }
        guard let decoded = HuffmanCode.decode(raw) else { throw HPACKError(description: "a Huffman string is malformed") }
        return String(decoding: decoded, as: UTF8.self)
    }

    private mutating func insert(_ field: (String, String)) {
        let entrySize = field.0.utf8.count + field.1.utf8.count + 32
        evict(toFit: entrySize)
        guard entrySize <= maximumSize else { return }
        dynamic.insert(field, at: 0)
        size += entrySize
    }

    private mutating func evict(toFit entrySize: Int) {
        while size + entrySize > maximumSize, let last = dynamic.popLast() {
            size -= last.0.utf8.count + last.1.utf8.count + 32
        }
    }
}
