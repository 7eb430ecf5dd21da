// What every connection of one server shares.

import Logging
import Sluice

/// The per-server values each connection handler reads.
struct ConnectionSettings: Sendable {
    var limits: HTTPServerConfiguration.Limits
    var timeouts: HTTPServerConfiguration.Timeouts
    var serverHeader: String?
    var logger: Logger
    /// Where requests' diagnostics go (Spec REQ-13): the server's log.
    var errorLog: ErrorLog
    /// Told of the requests the server refuses itself.
    var observer: (any ServerObserver)?
    /// The server's open connections, told of those a graceful stop closes idle.
    var registry = ConnectionRegistry()
}
