// Log lines for people: `time level message key=value`.

import Logging
import SluiceMiddleware

/// Formats an event as `2026-11-25T01:58:00.123Z info listening on http://127.0.0.1:8080 pid=42`.
enum TextLogLine {
    /// The line for an event: the keys sorted, values quoted when they contain a space, `"` or `=`.
    static func line(time: String, event: LogEvent, metadata: Logger.Metadata) -> String {
        var line = "\(time) \(event.level) \(event.message)"
        for key in metadata.keys.sorted() {
            line += " \(key)=\(quoted("\(metadata[key]!)"))"
        }
        if let error = event.error {
            line += " error=\(quoted("\(error)"))"
        }
        return line
    }

    private static func quoted(_ value: String) -> String {
        guard value.isEmpty || value.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" || $0 == "\n" }) else { return value }
        return JSONText.string(value)
    }
}
