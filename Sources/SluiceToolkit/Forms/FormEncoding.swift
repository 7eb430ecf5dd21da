// application/x-www-form-urlencoded: parsing and serialising (WHATWG URL standard, section 5),
// strict about malformed escapes.

import Sluice

/// The `application/x-www-form-urlencoded` format.
enum FormEncoding {
    /// Why parsing stopped.
    enum Failure: Error, Equatable {
        case tooLarge(limit: Int)
        case tooManyFields(limit: Int)
        case malformed(String)
    }

    /// Splits `text` at `&`, each piece at its first `=`, and decodes both halves: `+` is a
    /// space, `%XX` a byte, and the bytes must be UTF-8. Empty pieces are skipped; a piece
    /// without `=` is a name with an empty value.
    ///
    /// Unlike the WHATWG parser, which keeps a `%` not followed by two hex digits as it is and
    /// replaces bytes that are not UTF-8 with U+FFFD, this one refuses both: a client that
    /// sends them is broken, and guessing hides it.
    static func parse(_ text: some StringProtocol, limits: FormLimits) throws(Failure) -> FormFields {
        let bytes = text.utf8
        guard bytes.count <= limits.maxBytes else { throw .tooLarge(limit: limits.maxBytes) }
        var fields = FormFields()
        var pieceStart = bytes.startIndex
        while pieceStart < bytes.endIndex {
            let pieceEnd = bytes[pieceStart...].firstIndex(of: UInt8(ascii: "&")) ?? bytes.endIndex
            if pieceStart < pieceEnd {
                guard fields.count < limits.maxFields else { throw .tooManyFields(limit: limits.maxFields) }
                let piece = bytes[pieceStart..<pieceEnd]
                let equals = piece.firstIndex(of: UInt8(ascii: "=")) ?? pieceEnd
                let name = try decode(piece[..<equals])
                let value = equals == pieceEnd ? "" : try decode(piece[piece.index(after: equals)...])
                fields.append(name: name, value: value)
            }
            pieceStart = pieceEnd == bytes.endIndex ? pieceEnd : bytes.index(after: pieceEnd)
        }
        return fields
    }

    /// One name or value, decoded.
    private static func decode(_ encoded: some Collection<UInt8>) throws(Failure) -> String {
        var decoded: [UInt8] = []
        decoded.reserveCapacity(encoded.count)
        var index = encoded.startIndex
        while index < encoded.endIndex {
            let byte = encoded[index]
            index = encoded.index(after: index)
            switch byte {
            case UInt8(ascii: "+"):
                decoded.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard index < encoded.endIndex, let high = hexValue(encoded[index]) else { throw .malformed("a % not followed by two hex digits") }
                index = encoded.index(after: index)
                guard index < encoded.endIndex, let low = hexValue(encoded[index]) else { throw .malformed("a % not followed by two hex digits") }
                index = encoded.index(after: index)
                decoded.append(high << 4 | low)
            default:
                decoded.append(byte)
            }
        }
        guard let text = String(validating: decoded, as: UTF8.self) else { throw .malformed("bytes that are not UTF-8") }
        return text
    }

    /// The value of an ASCII hex digit, or `nil`.
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// A name or value serialised: ASCII letters, digits and `*-._` kept, space as `+`, every
    /// other byte of the UTF-8 as `%XX`.
    static func encode(_ text: String) -> String {
        percentEncode(text) { byte in
            byte == UInt8(ascii: "*") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
        } space: {
            "+"
        }
    }

    /// `text` with every byte that is not an ASCII letter or digit, `allowed` or a space
    /// escaped as `%XX`, and spaces written as `space()`.
    static func percentEncode(_ text: String, allowing allowed: (UInt8) -> Bool, space: () -> String = { "%20" }) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var result: [UInt8] = []
        result.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                result.append(byte)
            case UInt8(ascii: " "):
                result += space().utf8
            case _ where allowed(byte):
                result.append(byte)
            default:
                result += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: result, as: UTF8.self)
    }
}

extension FormFields {
    /// Parses `application/x-www-form-urlencoded` text, such as a query string: the one
    /// query-string splitter applications need.
    ///
    /// - Throws: ``HTTPError`` 400 for a malformed escape, bytes that are not UTF-8, more than
    ///   `limits.maxFields` fields or more than `limits.maxBytes` bytes.
    public init(parsing text: some StringProtocol, limits: FormLimits = FormLimits()) throws {
        do {
            self = try FormEncoding.parse(text, limits: limits)
        } catch {
            throw error.httpError(limitStatus: .badRequest, of: "the query")
        }
    }
}

extension FormEncoding.Failure {
    /// The failure as the error a client gets, with `limitStatus` for a limit passed.
    func httpError(limitStatus: Response.Status, of what: String) -> HTTPError {
        switch self {
        case let .tooLarge(limit): HTTPError(limitStatus, detail: "\(what) is larger than \(limit) bytes")
        case let .tooManyFields(limit): HTTPError(limitStatus, detail: "\(what) has more than \(limit) fields")
        case let .malformed(problem): HTTPError(.badRequest, detail: "\(what) is malformed: it has \(problem)")
        }
    }
}
