// Log lines for machines: one JSON object a line.

import Logging
import SluiceMiddleware

/// Formats an event as `{"time":"…","level":"info","message":"…","label":"sluice", …metadata}`,
/// for journald, Loki or any log shipper.
enum JSONLogLine {
    /// The object for an event; metadata keys sorted, after the fixed fields.
    static func line(time: String, label: String, event: LogEvent, metadata: Logger.Metadata) -> String {
        var fields = [
            ("time", JSONText.string(time)), ("level", JSONText.string("\(event.level)")),
            ("message", JSONText.string("\(event.message)")), ("label", JSONText.string(label)),
        ]
        if let error = event.error {
            fields.append(("error", JSONText.string("\(error)")))
        }
        for key in metadata.keys.sorted() {
            fields.append((key, value(metadata[key]!)))
        }
        return "{" + fields.map { "\(JSONText.string($0.0)):\($0.1)" }.joined(separator: ",") + "}"
    }

    /// A metadata value as JSON: strings and string-convertibles as strings, arrays and dictionaries as such.
    private static func value(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case let .string(text): JSONText.string(text)
        case let .stringConvertible(convertible): JSONText.string(convertible.description)
        case let .array(values): "[" + values.map { Self.value($0) }.joined(separator: ",") + "]"
        case let .dictionary(entries):
            "{" + entries.keys.sorted().map { "\(JSONText.string($0)):\(Self.value(entries[$0]!))" }.joined(separator: ",") + "}"
        }
    }
}
