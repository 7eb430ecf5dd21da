// How a FastCGI responder listens, how many requests it serves at once, and its limits.

public import Sluice

/// The settings of a FastCGI responder; every field has a default suited to running behind
/// nginx on one machine.
public struct FastCGIConfiguration: Sendable, Hashable {
    /// Where connections from the front server come from.
    public var address: ListenAddress
    /// What the deprecated ``mountPath`` was set to.
    var legacyMountPath = ""
    /// Worker threads per process: the most requests served at once, each on a thread of its
    /// own while it runs. A connection the front server keeps open between requests (nginx
    /// `fastcgi_keep_conn on` with an upstream `keepalive N`) holds no worker while it is
    /// idle: a worker serves a request, not a connection. A request whose body arrives slowly
    /// holds its worker while the application reads it (see ``FastCGIConfiguration/Limits/minBodyRate``).
    /// The default, 32, suits most applications; one that waits on slow work (a database, a
    /// long poll) needs a worker for each request that waits.
    public var workerCount: Int
    /// Worker processes sharing the listening socket (prefork); 1 serves from this process
    /// alone. Only ``FastCGI/main(_:configuration:)`` forks, before any thread exists.
    public var processCount: Int
    /// The permission bits of a unix socket the responder creates itself. The default, 0o660,
    /// lets the owner and its group connect; nginx's workers (user www-data) need the socket
    /// to be theirs by group, or 0o666.
    public var socketMode: UInt32
    /// The limits on what a front server (and through it a client) controls.
    public var limits: Limits
    /// How long in-flight requests may go on after SIGTERM or SIGINT before they are cancelled
    /// (Spec LIFE-5). Default 10 s, as for HTTP: the front servers' usual wait before `SIGKILL`.
    public var shutdownGracePeriod: Duration
    /// The longest an application may take over a request, from its call to the response's
    /// end; `nil` (the default) for no limit. Past it the application's task is cancelled,
    /// the client gets 503 (or a cut-off response when the head had gone out), the completion
    /// hooks run and the error log says so (Spec LIFE-6); the worker is free at once.
    public var requestTimeout: Duration? = nil
    /// Worker recycling: a worker process exits gracefully after this many requests, and the
    /// supervisor starts a fresh one; `nil` (the default) never recycles. With it, the
    /// process always forks, even for one worker process.
    public var maxRequests: Int? = nil
    /// Up to this many requests are added at random to each worker process's
    /// ``maxRequests``, so that workers started together do not all restart together.
    public var maxRequestsJitter: Int = 0
    /// Told when a worker takes a request and is free again, and of each request the
    /// responder refused itself (a limit broken, a malformed request): metrics
    /// (Docs/observability.md). Not part of the configuration's equality.
    public var observer: (any ServerObserver)? {
        get { observerSlot.observer }
        set { observerSlot.observer = newValue }
    }
    private var observerSlot = ObserverSlot()

    /// Creates a configuration; see each property for its default.
    public init(
        address: ListenAddress = .automatic,
        workerCount: Int = 32,
        processCount: Int = 1,
        socketMode: UInt32 = 0o660,
        limits: Limits = Limits(),
        shutdownGracePeriod: Duration = .seconds(10)
    ) {
        self.address = address
        self.workerCount = max(1, workerCount)
        self.processCount = max(1, processCount)
        self.socketMode = socketMode
        self.limits = limits
        self.shutdownGracePeriod = shutdownGracePeriod
    }
}

extension FastCGIConfiguration {
    /// The bounds a FastCGI responder puts on its input (Spec SEC-3). The names are the HTTP
    /// server's (``SluiceHTTP``'s `HTTPServerConfiguration.Limits`) and `serve`'s flags'.
    public struct Limits: Sendable, Hashable {
        /// The most request-body bytes accepted. A larger `CONTENT_LENGTH` is answered 413 before
        /// the application runs; a body of unknown length fails with
        /// ``Sluice/RequestBodyError/tooLarge(limit:)`` once it passes the limit, answered 413 when
        /// that error escapes the application. Default 1 GiB: the body streams, so this bounds
        /// work, not memory.
        public var maxBodyBytes: Int
        /// The most bytes of params (names plus values) one request may carry; more is answered
        /// 431 Request Header Fields Too Large, as the params are mostly the client's header
        /// fields. Enforced as they arrive: params over it are counted, not held. Default
        /// 128 KiB, four times nginx's largest default header block.
        public var maxParamsBytes: Int
        /// The most params (name–value pairs) one request may carry; more is answered 431, for
        /// the same reason. Default 256: nginx's `fastcgi_params` sends about 20 plus one per
        /// header field, and nginx allows 100 header fields by default.
        public var maxParamsCount: Int
        /// How long one read from, or write to, the front server's connection may block. A peer
        /// that stops mid-request, or stops reading, loses its connection after this, and the
        /// worker is free again. It also closes a connection that stays idle this long between
        /// requests (or before its first), so keep it above the front server's own idle timeout
        /// (nginx's upstream `keepalive_timeout`, 60 s). Default 90 s.
        public var readTimeout: Duration
        /// The slowest a request body may arrive once the application waits for it; `nil` for no
        /// minimum. A slower body fails with ``Sluice/ClientDisconnected`` and its connection is
        /// closed, which frees its worker (Spec SEC-5). Default: 500 bytes a second after 20
        /// seconds, as Apache's `mod_reqtimeout` (`body=20,MinRate=500`).
        public var minBodyRate: MinimumBodyRate?

        /// Creates limits; the defaults suit most deployments.
        public init(
            maxBodyBytes: Int = 1 << 30,
            maxParamsBytes: Int = 128 * 1024,
            maxParamsCount: Int = 256,
            readTimeout: Duration = .seconds(90),
            minBodyRate: MinimumBodyRate? = MinimumBodyRate()
        ) {
            self.maxBodyBytes = maxBodyBytes
            self.maxParamsBytes = maxParamsBytes
            self.maxParamsCount = maxParamsCount
            self.readTimeout = readTimeout
            self.minBodyRate = minBodyRate
        }
    }
}

/// The slowest a request body may arrive: a time to start, and a rate to keep.
///
/// A body read that waits fails once it has waited past `grace` plus one second for every
/// `bytesPerSecond` bytes received so far, counted from the first read that had to wait.
/// A body that comes in a burst and then pauses keeps the credit of the burst; one that
/// trickles a byte a second fails after about `grace`. A total time limit would have to be
/// as long as the largest upload on the slowest legitimate link, and then stop nobody.
public struct MinimumBodyRate: Sendable, Hashable {
    /// The rate to keep, on average, after the grace period.
    public var bytesPerSecond: Int
    /// How long the body may take before the rate counts.
    public var grace: Duration

    /// Creates a minimum rate; the defaults are Apache `mod_reqtimeout`'s for bodies.
    public init(bytesPerSecond: Int = 500, grace: Duration = .seconds(20)) {
        self.bytesPerSecond = max(1, bytesPerSecond)
        self.grace = grace
    }
}

/// Holds a configuration's observer outside its equality and hash: two configurations that
/// differ only in whom they report to configure the same responder.
private struct ObserverSlot: Hashable, Sendable {
    var observer: (any ServerObserver)?

    static func == (_: Self, _: Self) -> Bool { true }

    func hash(into _: inout Hasher) {}
}
