// JSON values and their text, written by hand so the probe needs nothing beyond the core.

/// A JSON value, with object members kept in the order they were given.
public enum JSON: Sendable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// An integer.
    case number(Int)
    /// A string.
    case string(String)
    /// An array.
    case array([JSON])
    /// An object; members keep their order.
    case object([(String, JSON)])

    /// `null` for `nil`, the string otherwise.
    static func optional(_ value: String?) -> JSON { value.map(JSON.string) ?? .null }

    /// `null` for `nil`, the number otherwise.
    static func optional(_ value: Int?) -> JSON { value.map(JSON.number) ?? .null }

    /// The value as JSON text: indented two spaces, ASCII only (everything else escaped as
    /// `\uXXXX`), so the output survives any client and any terminal; ends with a newline.
    public var text: String {
        var output = ""
        write(to: &output, indent: "")
        return output + "\n"
    }

    private func write(to output: inout String, indent: String) {
        switch self {
        case .null: output += "null"
        case let .bool(value): output += value ? "true" : "false"
        case let .number(value): output += String(value)
        case let .string(value): JSON.writeString(value, to: &output)
        case let .array(elements) where elements.allSatisfy(\.isScalar):
            output += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { output += ", " }
                element.write(to: &output, indent: indent)
            }
            output += "]"
        case let .array(elements):
            writeMembers(elements.map { (nil, $0) }, open: "[", close: "]", to: &output, indent: indent)
        case let .object(members):
            writeMembers(members.map { ($0.0, $0.1) }, open: "{", close: "}", to: &output, indent: indent)
        }
    }

    /// One member a line, for arrays of containers and for objects.
    private func writeMembers(
        _ members: [(String?, JSON)],
        open: String,
        close: String,
        to output: inout String,
        indent: String
    ) {
        guard !members.isEmpty else {
            output += open + close
            return
        }
        let inner = indent + "  "
        output += open + "\n"
        for (index, (name, value)) in members.enumerated() {
            output += inner
            if let name {
                JSON.writeString(name, to: &output)
                output += ": "
            }
            value.write(to: &output, indent: inner)
            output += index == members.count - 1 ? "\n" : ",\n"
        }
        output += indent + close
    }

    /// Whether the value is neither an array nor an object: arrays of these fit on one line.
    private var isScalar: Bool {
        switch self {
        case .null, .bool, .number, .string: true
        case .array, .object: false
        }
    }

    /// A JSON string literal (RFC 8259 section 7), escaping quotes, backslashes, control
    /// characters and every non-ASCII scalar (as UTF-16 code units, surrogate pairs included).
    private static func writeString(_ value: String, to output: inout String) {
        output += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case " "..."~": output.unicodeScalars.append(scalar)
            default:
                for unit in String(scalar).utf16 {
                    output += "\\u" + hex(unit)
                }
            }
        }
        output += "\""
    }

    /// Four lowercase hexadecimal digits.
    private static func hex(_ unit: UInt16) -> String {
        let digits = String(unit, radix: 16)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }
}
