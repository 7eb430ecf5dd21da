// Log lines for people: `time level message key=value`.

public import Logging

/// A swift-log handler that writes `2026-11-25T01:58:00.123Z info listening on http://127.0.0.1:8080 pid=42`
/// to standard error: the default of ``serve(_:arguments:)``.
public struct TextLogHandler: LogHandler {
    /// The logger's label (not printed: one process, one application).
    public let label: String
    /// The least severe level written.
    public var logLevel: Logger.Level = .info
    /// Metadata every line of this logger carries.
    public var metadata: Logger.Metadata = [:]
    /// Metadata added when a line is written.
    public var metadataProvider: Logger.MetadataProvider?

    /// Creates a handler for the logger `label`.
    public init(label: String, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.metadataProvider = metadataProvider
    }

    /// Metadata of this logger, by key.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes the event as one line.
    public func log(event: LogEvent) {
        LogLine.write(Self.line(time: LogLine.timestamp(), event: event, metadata: LogLine.metadata(metadata, metadataProvider, event.metadata)))
    }

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
        return JSONLogHandler.string(value)
    }
}
