// Request-scoped storage and completion hooks, reachable from deep code through a task-local.

import Synchronization

/// State that lives exactly as long as one request: typed storage (Flask's `g`) and the hooks
/// that run when the request completes (WSGI's `close()`, Flask's teardown).
///
/// Every copy of a ``Request`` shares one context. While a server runs an application for a
/// request, ``RequestContext/current`` returns it from any code in that task (Spec APP-4).
public final class RequestContext: Sendable {
    private struct State: Sendable {
        var storage = TypedStorage()
        var hooks: [@Sendable (Completion) async -> Void] = []
        var completion: Completion?
        // The writer itself rather than a closure over it: no allocation per request.
        var informationalWriter: (any ResponseWriter)?
        /// What ``Lint`` checks an informational response with, when it wraps the application.
        var informationalCheck: (@Sendable (Response.Status, Headers) throws -> Void)?
    }

    // A Mutex of a concrete type, not `Locked`: no generic metadata lookup per request.
    private let state = Mutex(State())

    /// Creates an empty context.
    public init() {}

    /// The value stored for a key in this request's storage.
    public subscript<Key: StorageKey>(key: Key.Type) -> Key.Value? {
        get { state.withLock { $0.storage[key] } }
        set { state.withLock { $0.storage[key] = newValue } }
    }

    /// Returns the stored value for a key, creating and storing it on first use.
    ///
    /// Use it for anything opened lazily once per request, such as a database handle.
    public func value<Key: StorageKey>(for key: Key.Type, default make: () throws -> Key.Value) rethrows -> Key.Value {
        if let existing = self[key] { return existing }
        let made = try make()
        return state.withLock { state in
            if let raced = state.storage[key] { return raced }
            state.storage[key] = made
            return made
        }
    }

    /// The completion outcome, once the request has completed.
    public var completion: Completion? { state.withLock { $0.completion } }

    /// Registers a hook to run when the request completes (Spec LIFE-3).
    ///
    /// A hook registered after completion runs at once with the completion outcome.
    public func onCompletion(_ hook: @escaping @Sendable (Completion) async -> Void) {
        let late = state.withLock { state -> Completion? in
            if let completion = state.completion { return completion }
            state.hooks.append(hook)
            return nil
        }
        if let late {
            Task { await hook(late) }
        }
    }

    /// Marks the request complete and runs its hooks once each, last registered first.
    ///
    /// Servers call this exactly once per request; later calls do nothing and return `false`.
    @discardableResult
    public func complete(with completion: Completion) async -> Bool {
        guard let hooks = markComplete(with: completion) else { return false }
        await Self.run(hooks, with: completion)
        return true
    }

    /// Records the outcome and hands over the hooks to run, or `nil` when the request had
    /// already completed. Synchronous, so that the gateway awaits nothing when there are no
    /// hooks, as for most requests.
    package func markComplete(with completion: Completion) -> [@Sendable (Completion) async -> Void]? {
        state.withLock { state in
            guard state.completion == nil else { return nil }
            state.completion = completion
            defer { state.hooks = [] }
            return state.hooks
        }
    }

    /// Runs completion hooks, last registered first.
    package static func run(_ hooks: [@Sendable (Completion) async -> Void], with completion: Completion) async {
        for hook in hooks.reversed() {
            await hook(completion)
        }
    }

    /// Sends an informational (1xx) response ahead of the final one, such as 103 Early Hints.
    ///
    /// Does nothing where the server cannot send one
    /// (``ServerCapabilities/supportsInformationalResponses``) or once the final head is out.
    ///
    /// - Throws: ``InvalidResponseHead``, having sent nothing, when the status is not
    ///   102...199 or a field may not be sent (Spec RESP-12) — under every adapter, also one
    ///   that drops informational responses; what the transport throws, such as
    ///   ``ClientDisconnected``.
    public func sendInformational(status: Response.Status, headers: Headers) async throws {
        let (writer, check) = state.withLock { ($0.informationalWriter, $0.informationalCheck) }
        try check?(status, headers)
        if let invalid = ResponseHead.problem(withInformational: status, headers: headers) { throw invalid }
        try await writer?.writeInformational(status: status, headers: headers)
    }

    /// Installs the writer that sends informational responses, or removes it once the final
    /// head is due; the gateway calls this.
    package func setInformationalWriter(_ writer: (any ResponseWriter)?) {
        state.withLock { $0.informationalWriter = writer }
    }

    /// Installs the check ``Lint`` makes of each informational response before the server's.
    func setInformationalCheck(_ check: @escaping @Sendable (Response.Status, Headers) throws -> Void) {
        state.withLock { $0.informationalCheck = check }
    }

    /// The context of the request the current task is handling, or `nil` outside a request.
    public static var current: RequestContext? { currentContext }

    /// Runs `body` with `context` as ``current``.
    public static func withCurrent<Result>(
        _ context: RequestContext,
        isolation: isolated (any Actor)? = #isolation,
        _ body: () async throws -> Result
    ) async rethrows -> Result {
        try await $currentContext.withValue(context, operation: body, isolation: isolation)
    }
}

/// The context of the request a task is handling.
@TaskLocal private var currentContext: RequestContext?
