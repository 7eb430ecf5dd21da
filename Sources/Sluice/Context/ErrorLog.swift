// Where an application's diagnostics go.

/// A sink for an application's diagnostic messages (WSGI's `wsgi.errors`).
///
/// Each adapter routes it to its error channel: standard error under CGI, `FCGI_STDERR`
/// under FastCGI, the server log standalone (Spec REQ-13).
///
/// The core itself writes nowhere: it imports nothing beyond the standard library, so it has
/// no file to write to. A request built outside a server logs to ``discarding`` unless it is
/// given a log.
public struct ErrorLog: Sendable {
    private let sink: @Sendable (String) -> Void

    /// Creates a log that hands each message to `sink`.
    public init(_ sink: @escaping @Sendable (String) -> Void) {
        self.sink = sink
    }

    /// Writes one message; a trailing newline is added by the sink where it needs one.
    public func write(_ message: String) {
        sink(message)
    }

    /// A log that drops every message.
    public static let discarding = ErrorLog { _ in }
}
