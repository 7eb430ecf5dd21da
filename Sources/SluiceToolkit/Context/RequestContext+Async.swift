// Request-scoped values computed by async code, once per request: Flask's `g.user` loaded
// from a database actor.

public import Sluice
import Synchronization

extension RequestContext {
    /// The value stored for `key`, computed by `compute` the first time any code asks for it
    /// during this request; later and concurrent callers get the same value (or error) without
    /// running `compute` again.
    ///
    /// `compute` may suspend (query a database actor, call another service). The value is
    /// also stored under `key`, so synchronous code can read it afterwards with
    /// `context[key]`.
    ///
    /// ```swift
    /// enum CurrentUser: StorageKey { typealias Value = User? }
    /// extension Request {
    ///     func user() async throws -> User? {
    ///         try await context.lazyValue(for: CurrentUser.self) { try await users.find(token: bearerToken) }
    ///     }
    /// }
    /// ```
    ///
    /// (It is not named `value(for:default:)`, the core's synchronous counterpart: with a
    /// trailing closure Swift would pick between the two by whether the closure awaits.)
    public func lazyValue<Key: StorageKey>(
        for key: Key.Type,
        computedBy compute: () async throws -> Key.Value
    ) async throws -> Key.Value {
        // The computation, not `self[key]`, says whether the value exists: for an optional
        // `Value` the core's storage cannot tell "not computed" from "computed as nil".
        let once = value(for: Once<Key>.self) { AsyncOnce() }
        let value = try await once.value(compute)
        self[key] = value
        return value
    }
}

/// The key of the one computation of `Key`'s value in a request.
private enum Once<Key: StorageKey>: StorageKey {
    typealias Value = AsyncOnce<Key.Value>
}

/// A value computed once by the first caller, while later callers wait for its result.
final class AsyncOnce<Value: Sendable>: Sendable {
    private enum State {
        case unstarted
        case computing(waiters: [CheckedContinuation<Value, any Error>])
        case done(Result<Value, any Error>)
    }

    private let state = Mutex(State.unstarted)

    /// What a caller of ``value(_:)`` does.
    private enum Role {
        case computes
        case waits
        case has(Result<Value, any Error>)
    }

    /// The value: computed by `compute` on the first call, awaited by calls made meanwhile,
    /// returned as it was by calls made after.
    func value(_ compute: () async throws -> Value) async throws -> Value {
        let role = state.withLock { state -> Role in
            switch state {
            case .unstarted:
                state = .computing(waiters: [])
                return .computes
            case .computing: return .waits
            case let .done(result): return .has(result)
            }
        }
        switch role {
        case let .has(result):
            return try result.get()
        case .waits:
            return try await withCheckedThrowingContinuation { waiter in
                let result = state.withLock { state -> Result<Value, any Error>? in
                    switch state {
                    case let .computing(waiters):
                        state = .computing(waiters: waiters + [waiter])
                        return nil
                    case let .done(result): return result
                    case .unstarted: preconditionFailure("a computation was awaited before it began")
                    }
                }
                if let result { waiter.resume(with: result) }
            }
        case .computes:
            let result: Result<Value, any Error>
            do {
                result = .success(try await compute())
            } catch {
                result = .failure(error)
            }
            let waiters = state.withLock { state -> [CheckedContinuation<Value, any Error>] in
                defer { state = .done(result) }
                if case let .computing(waiters) = state { return waiters }
                return []
            }
            for waiter in waiters { waiter.resume(with: result) }
            return try result.get()
        }
    }
}
