// Header values of the form `value; name=token; name="quoted string"` (RFC 9110 section 5.6.6).

/// A header value with parameters, as in `Content-Type` and `Content-Disposition`.
struct ParameterizedValue: Sendable, Hashable {
    /// The value before the first `;`, trimmed and lowercased.
    var value: String
    /// The parameters in order; names lowercased, values unquoted.
    var parameters: [Parameter]

    /// One `name=value` parameter.
    struct Parameter: Sendable, Hashable {
        var name: String
        var value: String
    }

    /// The value of the first parameter named `name` (ASCII case-insensitive), or `nil`.
    func parameter(_ name: String) -> String? {
        let wanted = name.lowercased()
        return parameters.first { $0.name == wanted }?.value
    }

    /// Parses `text`; `nil` when a parameter is malformed (no `=`, an empty name, an
    /// unterminated quoted string).
    ///
    /// In a quoted string a backslash escapes only `"` and `\`; before any other character it
    /// is kept, so that a Windows path sent as a file name survives (browsers do not escape it).
    init?(parsing text: String) {
        let bytes = Array(text.utf8)
        var index = 0
        func skipWhitespace() {
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
        }
        let valueEnd = bytes.firstIndex(of: UInt8(ascii: ";")) ?? bytes.count
        value = String(decoding: bytes[..<valueEnd], as: UTF8.self).trimmingASCIIWhitespace().lowercased()
        index = valueEnd
        parameters = []
        while index < bytes.count {
            index += 1  // the `;`
            skipWhitespace()
            if index == bytes.count { break }  // a trailing `;`
            let nameStart = index
            while index < bytes.count, bytes[index] != UInt8(ascii: "="), bytes[index] != UInt8(ascii: ";") { index += 1 }
            let name = String(decoding: bytes[nameStart..<index], as: UTF8.self).trimmingASCIIWhitespace().lowercased()
            guard !name.isEmpty, index < bytes.count, bytes[index] == UInt8(ascii: "=") else { return nil }
            index += 1
            skipWhitespace()
            var parameterValue: [UInt8] = []
            if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
                index += 1
                var closed = false
                while index < bytes.count {
                    let byte = bytes[index]
                    index += 1
                    if byte == UInt8(ascii: "\"") {
                        closed = true
                        break
                    }
                    if byte == UInt8(ascii: "\\"), index < bytes.count,
                        bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "\\")
                    {
                        parameterValue.append(bytes[index])
                        index += 1
                    } else {
                        parameterValue.append(byte)
                    }
                }
                guard closed else { return nil }
                skipWhitespace()
                guard index == bytes.count || bytes[index] == UInt8(ascii: ";") else { return nil }
            } else {
                let start = index
                while index < bytes.count, bytes[index] != UInt8(ascii: ";") { index += 1 }
                parameterValue = Array(bytes[start..<index])
            }
            parameters.append(Parameter(name: name, value: String(decoding: parameterValue, as: UTF8.self).trimmingASCIIWhitespace()))
        }
    }
}
