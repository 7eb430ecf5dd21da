// Where SluiceFastCGI serves. Its workers wait on Linux's epoll, eventfd and timerfd (the
// CEventPoll module), accept with accept4, and a prefork supervisor pings systemd's watchdog
// with sigtimedwait: that serving core — every file of this module that begins with
// `#if os(Linux)` — is compiled on Linux only. Elsewhere (macOS, where most Swift developers
// write code) the public API still compiles, so a package that uses `serve(app)` builds and
// serves HTTP and CGI there, and serving FastCGI throws ``FastCGIUnsupportedPlatform``.
// A kqueue or poll(2) poller would lift this.

/// FastCGI cannot be served on this platform: the responder's workers wait on Linux's epoll.
public struct FastCGIUnsupportedPlatform: Error, CustomStringConvertible {
    /// Creates the error.
    public init() {}

    /// What to do instead.
    public var description: String {
        "SluiceFastCGI serves on Linux only (its workers wait on epoll): on this platform, serve HTTP or CGI"
    }
}
