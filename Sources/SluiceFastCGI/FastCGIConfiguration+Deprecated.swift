// The configuration's names before they agreed with the HTTP server's and `serve`'s flags:
// kept, deprecated, so that code written against them still builds.

extension FastCGIConfiguration {
    /// Creates a configuration with the earlier names of ``address`` and of the limits' type.
    @available(*, deprecated, renamed: "init(address:workerCount:processCount:socketMode:limits:shutdownGracePeriod:)")
    public init(
        listener: ListenAddress, mountPath: String = "", workerCount: Int = 32, processCount: Int = 1,
        socketMode: UInt32 = 0o660, limits: Limits = Limits(), shutdownGracePeriod: Duration = .seconds(10)
    ) {
        self.init(
            address: listener, mountPath: mountPath, workerCount: workerCount, processCount: processCount,
            socketMode: socketMode, limits: limits, shutdownGracePeriod: shutdownGracePeriod
        )
    }

    /// Creates a configuration that also mounts the application at `mountPath`.
    @available(*, deprecated, message: "Wrap the application in Mount([mountPath: application]) instead (Spec MOUNT-1)")
    public init(
        address: ListenAddress = .automatic, mountPath: String, workerCount: Int = 32, processCount: Int = 1,
        socketMode: UInt32 = 0o660, limits: Limits = Limits(), shutdownGracePeriod: Duration = .seconds(10)
    ) {
        self.init(
            address: address, workerCount: workerCount, processCount: processCount,
            socketMode: socketMode, limits: limits, shutdownGracePeriod: shutdownGracePeriod
        )
        legacyMountPath = mountPath
    }

    /// The prefix the application was mounted at: the server wraps it in
    /// `Mount([mountPath: application])`, so requests outside the prefix get 404.
    @available(*, deprecated, message: "Wrap the application in Mount([mountPath: application]) instead (Spec MOUNT-1)")
    public var mountPath: String {
        get { legacyMountPath }
        set { legacyMountPath = newValue }
    }

    /// Renamed ``address``, as the HTTP server names it.
    @available(*, deprecated, renamed: "address")
    public var listener: ListenAddress {
        get { address }
        set { address = newValue }
    }

    /// Renamed ``maxRequests``, as `--max-requests` names it.
    @available(*, deprecated, renamed: "maxRequests")
    public var maximumRequests: Int? {
        get { maxRequests }
        set { maxRequests = newValue }
    }

    /// Renamed ``maxRequestsJitter``, as `--max-requests-jitter` names it.
    @available(*, deprecated, renamed: "maxRequestsJitter")
    public var maximumRequestsJitter: Int {
        get { maxRequestsJitter }
        set { maxRequestsJitter = newValue }
    }
}

extension FastCGIConfiguration.Limits {
    /// Creates limits with the earlier names.
    @available(*, deprecated, renamed: "init(maxBodyBytes:maxParamsBytes:maxParamsCount:readTimeout:minBodyRate:)")
    public init(
        maximumBodyLength: Int, maximumParamsLength: Int = 128 * 1024, maximumParamsCount: Int = 256,
        readTimeout: Duration = .seconds(90), minimumBodyRate: MinimumBodyRate? = MinimumBodyRate()
    ) {
        self.init(
            maxBodyBytes: maximumBodyLength, maxParamsBytes: maximumParamsLength, maxParamsCount: maximumParamsCount,
            readTimeout: readTimeout, minBodyRate: minimumBodyRate
        )
    }

    /// Renamed ``maxBodyBytes``, as the HTTP server and `--max-body-bytes` name it.
    @available(*, deprecated, renamed: "maxBodyBytes")
    public var maximumBodyLength: Int {
        get { maxBodyBytes }
        set { maxBodyBytes = newValue }
    }

    /// Renamed ``maxParamsBytes``, as `--max-params-bytes` names it.
    @available(*, deprecated, renamed: "maxParamsBytes")
    public var maximumParamsLength: Int {
        get { maxParamsBytes }
        set { maxParamsBytes = newValue }
    }

    /// Renamed ``maxParamsCount``.
    @available(*, deprecated, renamed: "maxParamsCount")
    public var maximumParamsCount: Int {
        get { maxParamsCount }
        set { maxParamsCount = newValue }
    }

    /// Renamed ``minBodyRate``, as `--min-body-rate` names it.
    @available(*, deprecated, renamed: "minBodyRate")
    public var minimumBodyRate: MinimumBodyRate? {
        get { minBodyRate }
        set { minBodyRate = newValue }
    }
}

extension ListenAddress {
    /// Renamed ``systemdSocket``, as the HTTP server names it.
    @available(*, deprecated, renamed: "systemdSocket")
    public static var systemd: ListenAddress { .systemdSocket }
}

/// Renamed ``FastCGIConfiguration/Limits``, as the HTTP server nests its own.
@available(*, deprecated, renamed: "FastCGIConfiguration.Limits")
public typealias FastCGILimits = FastCGIConfiguration.Limits

/// Renamed ``ListenAddress``, as the HTTP server names its own.
@available(*, deprecated, renamed: "ListenAddress")
public typealias Listener = ListenAddress
