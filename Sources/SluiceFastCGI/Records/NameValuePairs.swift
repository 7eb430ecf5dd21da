// FastCGI's name-value pairs (FastCGI 1.0 section 3.4): the encoding of FCGI_PARAMS and of
// FCGI_GET_VALUES and its result.

/// Reads and writes name-value pairs: a name's length, the value's length, the name, the
/// value; each length one byte below 128, else four bytes, big-endian, with the top bit set.
enum NameValuePairs {
    /// Calls `body` with each pair's name and value in `bytes`, in order, and returns true;
    /// returns false as soon as a length points past the bytes (Spec FCGI-6): no length is
    /// trusted before it is checked against what is there.
    static func forEach(
        in bytes: UnsafeRawBufferPointer,
        _ body: (_ name: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) -> Void
    ) -> Bool {
        var offset = 0
        while offset < bytes.count {
            guard let nameLength = length(in: bytes, at: &offset),
                let valueLength = length(in: bytes, at: &offset),
                nameLength <= bytes.count - offset,
                valueLength <= bytes.count - offset - nameLength
            else { return false }
            let name = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + nameLength)])
            offset += nameLength
            body(name, UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + valueLength)]))
            offset += valueLength
        }
        return true
    }

    /// Reads one length at `offset` and moves past it; `nil` when its bytes are not all there.
    private static func length(in bytes: UnsafeRawBufferPointer, at offset: inout Int) -> Int? {
        guard offset < bytes.count else { return nil }
        let first = bytes[offset]
        guard first & 0x80 != 0 else {
            offset += 1
            return Int(first)
        }
        guard bytes.count - offset >= 4 else { return nil }
        let length = Int(first & 0x7F) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
        offset += 4
        return length
    }

    /// Appends the encoding of one pair to `bytes`.
    static func append(name: some Collection<UInt8>, value: some Collection<UInt8>, to bytes: inout [UInt8]) {
        appendLength(name.count, to: &bytes)
        appendLength(value.count, to: &bytes)
        bytes.append(contentsOf: name)
        bytes.append(contentsOf: value)
    }

    private static func appendLength(_ length: Int, to bytes: inout [UInt8]) {
        if length < 0x80 {
            bytes.append(UInt8(length))
        } else {
            bytes += [UInt8(0x80 | (length >> 24) & 0x7F), UInt8((length >> 16) & 0xFF), UInt8((length >> 8) & 0xFF), UInt8(length & 0xFF)]
        }
    }
}
