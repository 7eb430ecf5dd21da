// Setting up swift-log for a served application: one line per event on standard error.

import Logging

/// The process-wide logging set-up `serve(_:)` makes before it serves.
enum ServeLogging {
    /// Bootstraps swift-log with ``StandardErrorLogHandler`` at `level`, and returns the logger
    /// the server itself uses.
    static func bootstrap(format: LogFormat, level: Logger.Level) -> Logger {
        LoggingSystem.bootstrap { label in
            var handler = StandardErrorLogHandler(label: label, format: format.handlerFormat)
            handler.logLevel = level
            return handler
        }
        return Logger(label: "sluice")
    }
}
