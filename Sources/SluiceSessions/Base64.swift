// Base64 (RFC 4648), in the two alphabets session cookies and keys use.

/// Base64 encoding and decoding without Foundation.
enum Base64 {
    /// The 64 characters, in order of value.
    enum Alphabet {
        /// `+` and `/`, with `=` padding: what `base64` writes.
        case standard
        /// `-` and `_`, without padding: safe in a cookie or URL (RFC 4648 section 5).
        case url

        var characters: [UInt8] {
            Array(("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789" + (self == .url ? "-_" : "+/")).utf8)
        }
    }

    /// `bytes` as text, padded for ``Alphabet/standard``.
    static func encode(_ bytes: some Collection<UInt8>, alphabet: Alphabet) -> String {
        let characters = alphabet.characters
        var text: [UInt8] = []
        text.reserveCapacity((bytes.count + 2) / 3 * 4)
        var iterator = bytes.makeIterator()
        while let first = iterator.next() {
            let second = iterator.next()
            let third = iterator.next()
            let group = UInt32(first) << 16 | UInt32(second ?? 0) << 8 | UInt32(third ?? 0)
            let count = third != nil ? 4 : second != nil ? 3 : 2
            for index in 0..<count {
                text.append(characters[Int(group >> UInt32(18 - 6 * index) & 0x3F)])
            }
            if alphabet == .standard { text += Array(repeating: UInt8(ascii: "="), count: 4 - count) }
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The bytes `text` encodes, or `nil` for a character outside the alphabet, misplaced
    /// padding, or a length no encoding has.
    static func decode(_ text: String, alphabet: Alphabet) -> [UInt8]? {
        var values: [UInt8: UInt32] = [:]
        for (value, character) in alphabet.characters.enumerated() { values[character] = UInt32(value) }
        var characters = Array(text.utf8)
        if alphabet == .standard {
            guard characters.count % 4 == 0 else { return nil }
            while characters.last == UInt8(ascii: "=") { characters.removeLast() }
            guard text.utf8.count - characters.count <= 2 else { return nil }
        }
        guard characters.count % 4 != 1 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(characters.count * 3 / 4)
        var index = 0
        while index < characters.count {
            let group = characters[index..<min(index + 4, characters.count)]
            var bits: UInt32 = 0
            for character in group {
                guard let value = values[character] else { return nil }
                bits = bits << 6 | value
            }
            bits <<= UInt32(6 * (4 - group.count))
            for byteIndex in 0..<(group.count - 1) {
                bytes.append(UInt8(truncatingIfNeeded: bits >> UInt32(16 - 8 * byteIndex)))
            }
            // Bits past the last byte must be zero, so that each byte string has one encoding.
            if group.count < 4, bits & ((1 << UInt32(8 * (3 - (group.count - 1)))) - 1) != 0 { return nil }
            index += 4
        }
        return bytes
    }
}
