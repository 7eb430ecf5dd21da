// What a server tells metrics about the work no application sees.

/// Receives the events of a server that happen outside any application: connections, busy
/// workers, and requests the server answered itself. A metrics library implements it
/// (`SluiceMetrics`); each adapter calls it from its own threads, so calls must be quick and
/// must not block.
///
/// Every method does nothing by default: implement the ones you count.
public protocol ServerObserver: Sendable {
    /// A connection was accepted: a client's (HTTP) or the front server's (FastCGI).
    func connectionOpened()
    /// A connection ``connectionOpened()`` reported has closed.
    func connectionClosed()
    /// A worker took a request (FastCGI, whose workers each serve one request at a time).
    func workerBecameBusy()
    /// A worker that ``workerBecameBusy()`` is free again.
    func workerBecameIdle()
    /// The server answered a request itself with `status` — a limit it broke (408, 413, 414,
    /// 431), a malformed request (400), something it does not serve (501, 505) — without
    /// running the application (Spec ERR-3, SEC-3).
    func requestRefused(status: Response.Status)
}

extension ServerObserver {
    /// Does nothing.
    public func connectionOpened() {}
    /// Does nothing.
    public func connectionClosed() {}
    /// Does nothing.
    public func workerBecameBusy() {}
    /// Does nothing.
    public func workerBecameIdle() {}
    /// Does nothing.
    public func requestRefused(status: Response.Status) {}
}
