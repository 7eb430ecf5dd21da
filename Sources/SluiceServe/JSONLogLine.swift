// Log lines for machines: one JSON object a line.

import Logging

/// Formats an event as `{"time":"…","level":"info","message":"…","label":"sluice", …metadata}`,
/// for journald, Loki or any log shipper.
enum JSONLogLine {
    /// The object for an event; metadata keys sorted, after the fixed fields.
    static func line(time: String, label: String, event: LogEvent, metadata: Logger.Metadata) -> String {
        var fields = [("time", string(time)), ("level", string("\(event.level)")), ("message", string("\(event.message)")), ("label", string(label))]
        if let error = event.error {
            fields.append(("error", string("\(error)")))
        }
        for key in metadata.keys.sorted() {
            fields.append((key, value(metadata[key]!)))
        }
        return "{" + fields.map { "\(string($0.0)):\($0.1)" }.joined(separator: ",") + "}"
    }

    /// A metadata value as JSON: strings and string-convertibles as strings, arrays and dictionaries as such.
    private static func value(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case let .string(text): string(text)
        case let .stringConvertible(convertible): string(convertible.description)
        case let .array(values): "[" + values.map { Self.value($0) }.joined(separator: ",") + "]"
        case let .dictionary(entries):
            "{" + entries.keys.sorted().map { "\(string($0)):\(Self.value(entries[$0]!))" }.joined(separator: ",") + "}"
        }
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped.
    static func string(_ text: String) -> String {
        var escaped = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                escaped += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped + "\""
    }
}
