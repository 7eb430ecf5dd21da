// Setting up swift-log for a served application: one line per event on standard error.

import Logging
import SluiceMiddleware

/// The process-wide logging set-up `serve(_:)` makes before it serves.
enum ServeLogging {
    /// Bootstraps swift-log with ``StandardErrorLogHandler`` at `level`, and returns the logger
    /// the server itself uses.
    static func bootstrap(format: LogFormat, level: Logger.Level) -> Logger {
        LoggingSystem.bootstrap(
            { label, provider in
                var handler = StandardErrorLogHandler(
                    label: label, format: label == accessLogLabel ? .message : format.handlerFormat, metadataProvider: provider
                )
                handler.logLevel = level
                return handler
            }, metadataProvider: RequestID.metadataProvider)
        return Logger(label: "sluice")
    }

    /// The label of the access log's logger, whose lines are its messages alone: each is a
    /// whole line already, in the format `--access-log` chose.
    static let accessLogLabel = "sluice.access"
}
