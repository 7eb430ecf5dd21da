// The session of one request: string values kept in a signed cookie between requests.

public import Sluice
import Synchronization

/// The session a request belongs to: string values that the client keeps in a signed cookie
/// (Flask's `session`). Read and change it through ``Request/session``; the changes go out
/// with the response.
///
/// ```swift
/// request.session["user"] = String(user.id)   // signs in
/// request.session.clear()                     // signs out: the cookie is deleted
/// ```
///
/// The client can read the values (they are signed, not encrypted): keep secrets out.
public final class Session: Sendable {
    private struct State {
        var values: [String: String]
        var issued: Int?
        var changed = false
        var read = false
    }

    private let state: Mutex<State>

    init(values: [String: String], issued: Int?) {
        state = Mutex(State(values: values, issued: issued))
    }

    /// The value stored under `key`; setting `nil` removes it.
    public subscript(key: String) -> String? {
        get {
            state.withLock {
                $0.read = true
                return $0.values[key]
            }
        }
        set {
            state.withLock { state in
                state.read = true
                guard state.values[key] != newValue else { return }
                state.values[key] = newValue
                state.changed = true
            }
        }
    }

    /// Whether the session holds no values.
    public var isEmpty: Bool {
        state.withLock {
            $0.read = true
            return $0.values.isEmpty
        }
    }

    /// Removes every value; the response deletes the cookie.
    public func clear() {
        state.withLock { state in
            state.read = true
            if !state.values.isEmpty || state.issued != nil { state.changed = true }
            state.values = [:]
        }
    }

    /// What the response must do about the session: its values, whether they changed, when
    /// the cookie was signed, and whether anything read them.
    var snapshot: (values: [String: String], changed: Bool, issued: Int?, read: Bool) {
        state.withLock { ($0.values, $0.changed, $0.issued, $0.read) }
    }
}

/// The key of the request's session in its context.
enum CurrentSession: StorageKey {
    typealias Value = Session
}

extension Request {
    /// The request's session, loaded from its cookie by the ``Sessions`` middleware.
    ///
    /// Reading it outside that middleware is a programming error and stops the process.
    public var session: Session {
        guard let session = context[CurrentSession.self] else {
            preconditionFailure("request.session read in an application not wrapped by Sessions")
        }
        return session
    }
}
