// A connection from the front server: its socket, and where its records stand between the
// workers that serve it.

#if os(Linux)
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One connection from the front server.
///
/// A worker holds it while it reads a request and serves it, then parks it in the
/// ``Poller`` until its next bytes arrive, when any free worker takes it up where the last
/// one left off: a worker serves a request, not a connection, so a connection the front
/// server keeps open between requests holds no worker (Spec FCGI-3). Only its holder uses it;
/// the poller hands it over under a lock.
final class Connection: @unchecked Sendable {
    // Unchecked: a connection has one holder at a time, and the poller's lock orders each
    // hand-over between workers.

    /// The socket.
    let descriptor: Int32
    /// Its records, taken apart up to the last byte read.
    var records = InboundRecords()
    /// The params of the request being read.
    var params: ParamsCollector
    /// Bytes read but not yet taken apart when the connection was parked.
    var unread: [UInt8] = []
    /// How many requests it served: a parked connection that served none is new, not idle
    /// (Spec LIFE-5).
    var requestsServed = 0
    /// When it was parked: a connection parked longer than the read timeout is closed.
    var parkedAt = ContinuousClock.now
    /// The poller's bookkeeping: its number in the poller's table once it was first parked.
    var pollerGeneration: UInt32?

    init(descriptor: Int32, limits: FastCGIConfiguration.Limits) {
        self.descriptor = descriptor
        params = ParamsCollector(maximumLength: limits.maxParamsBytes, maximumCount: limits.maxParamsCount)
    }

    /// Closes the socket. Its holder calls it once, when it is done with the connection.
    func close() {
        _ = Glibc.close(descriptor)
    }
}

#endif
