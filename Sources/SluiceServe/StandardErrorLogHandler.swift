// The swift-log handler serve(_:) installs: one line per event on standard error.

public import Logging
import SluiceGateway

/// A swift-log handler that writes each event to standard error as one line, in the format
/// people read (the default of ``serve(_:arguments:)``) or as one JSON object
/// (`--log-format json`).
public struct StandardErrorLogHandler: LogHandler {
    /// How a line is written.
    public enum Format: Sendable {
        /// `time level message key=value`, keys sorted: for people.
        case human
        /// One JSON object with `time`, `level`, `message`, `label` and the metadata.
        case json
        /// The message alone, for lines formatted already, such as the access log's.
        case message
    }

    /// The logger's label (a JSON line carries it; a text line does not: one process, one application).
    public let label: String
    /// How lines are written.
    public let format: Format
    /// The least severe level written.
    public var logLevel: Logger.Level = .info
    /// Metadata every line of this logger carries.
    public var metadata: Logger.Metadata = [:]
    /// Metadata added when a line is written.
    public var metadataProvider: Logger.MetadataProvider?

    /// Creates a handler for the logger `label`.
    public init(label: String, format: Format = .human, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.format = format
        self.metadataProvider = metadataProvider
    }

    /// Metadata of this logger, by key.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes the event as one line.
    public func log(event: LogEvent) {
        let line =
            switch format {
            case .human: TextLogLine.line(time: LogLine.timestamp(), event: event, metadata: allMetadata(of: event))
            case .json: JSONLogLine.line(time: LogLine.timestamp(), label: label, event: event, metadata: allMetadata(of: event))
            // Neither the time nor the metadata is made: the access log writes one such line a request.
            case .message: "\(event.message)"
            }
        StandardError.write(line: line)
    }

    /// This logger's metadata, the provider's and the event's.
    private func allMetadata(of event: LogEvent) -> Logger.Metadata {
        LogLine.metadata(metadata, metadataProvider, event.metadata)
    }
}
