// A swift-log handler that keeps what it is given, for tests.

import Logging
import Synchronization

/// Records every event logged through it.
final class LogRecording: Sendable {
    struct Event: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: Logger.Metadata
    }

    private let stored = Mutex<[Event]>([])

    var events: [Event] { stored.withLock { $0 } }
    var messages: [String] { events.map(\.message) }

    /// A logger whose handler writes here.
    func logger(level: Logger.Level = .trace) -> Logger {
        var logger = Logger(label: "test") { _ in Handler(recording: self) }
        logger.logLevel = level
        return logger
    }

    fileprivate func append(_ event: Event) {
        stored.withLock { $0.append(event) }
    }

    private struct Handler: LogHandler {
        let recording: LogRecording
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata = [:]

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            recording.append(Event(level: event.level, message: "\(event.message)", metadata: metadata.merging(event.metadata ?? [:]) { $1 }))
        }
    }
}
