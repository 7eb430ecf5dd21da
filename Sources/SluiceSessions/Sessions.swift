// The middleware that loads each request's session from its cookie and saves it with the response.

public import Sluice
import SluiceToolkit

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Signed-cookie sessions: the middleware that gives every request its ``Request/session``.
///
/// ```swift
/// let sessions = Sessions(keys: [SessionKey(base64: secret)!])
/// let app = router.wrapped(by: sessions.middleware)
/// ```
///
/// - The cookie is signed with HMAC-SHA256 by the first key and accepted when any listed key
///   signed it: to rotate, put a new key first and drop the old one after ``maxAge``.
/// - A cookie that is tampered with, signed by an unknown key, older than ``maxAge`` or longer
///   than ``maxCookieBytes`` is treated as no session.
/// - The cookie is sent when the session changed (deleted when it was cleared) and again when
///   it is older than half of ``maxAge``, so an active user's session does not expire; it has
///   the ``SetCookie`` defaults: `HttpOnly`, `SameSite=Lax`, `Secure` over https, `Path` at
///   the mount point. A response that read the session says `Vary: Cookie`.
public struct Sessions: Sendable {
    /// The keys: the first signs, each verifies.
    public var keys: [SessionKey]
    /// The cookie's name.
    public var cookieName: String
    /// How long a session lasts without being re-signed, in seconds; 14 days by default.
    public var maxAge: Int
    /// The longest cookie, `name=value`, accepted or sent; 4,096 bytes by default, what
    /// browsers keep. A session that grows past it fails the response with ``SessionError``.
    public var maxCookieBytes: Int
    /// The current time in seconds since the epoch; tests set another clock.
    public var now: @Sendable () -> Int

    /// Creates sessions signed with `keys` (at least one); `now` is the system clock unless given.
    public init(
        keys: [SessionKey],
        cookieName: String = "session",
        maxAge: Int = 14 * 24 * 3600,
        maxCookieBytes: Int = 4096,
        now: (@Sendable () -> Int)? = nil
    ) {
        precondition(!keys.isEmpty, "sessions need at least one key")
        self.keys = keys
        self.cookieName = cookieName
        self.maxAge = maxAge
        self.maxCookieBytes = maxCookieBytes
        self.now = now ?? { Int(time(nil)) }
    }

    /// The middleware.
    public var middleware: Middleware {
        let sessions = self
        return Middleware { request, next in
            let codec = SessionCookie(keys: sessions.keys, maxAge: sessions.maxAge, maxBytes: sessions.maxCookieBytes)
            let now = sessions.now()
            let loaded = request.cookies[sessions.cookieName].flatMap { codec.verify($0, now: now) }
            let session = Session(values: loaded?.values ?? [:], issued: loaded?.issued)
            request.context[CurrentSession.self] = session
            var response = try await next.respond(to: request)
            try sessions.save(session, codec, now: now, in: &response, for: request)
            return response
        }
    }

    /// Adds the `Set-Cookie` (and `Vary`) fields the session needs to `response`.
    private func save(_ session: Session, _ codec: SessionCookie, now: Int, in response: inout Response, for request: Request) throws {
        let state = session.snapshot
        if state.read, !response.headers.values(for: "Vary").contains(where: { $0.lowercased().contains("cookie") }) {
            response.headers.append(name: "Vary", value: "Cookie")
        }
        if state.values.isEmpty {
            guard state.changed else { return }
            try response.setCookie(.deleting(cookieName), for: request)
            return
        }
        let stale = state.issued.map { now - $0 > maxAge / 2 } ?? true
        guard state.changed || stale else { return }
        let value = codec.sign(state.values, now: now)
        guard cookieName.utf8.count + 1 + value.utf8.count <= maxCookieBytes else {
            throw SessionError.tooLarge(bytes: cookieName.utf8.count + 1 + value.utf8.count, limit: maxCookieBytes)
        }
        try response.setCookie(SetCookie(name: cookieName, value: value, maxAge: maxAge), for: request)
    }
}

/// A session that cannot be saved.
public enum SessionError: Error, Hashable, CustomStringConvertible {
    /// The signed cookie would be longer than ``Sessions/maxCookieBytes``.
    case tooLarge(bytes: Int, limit: Int)

    /// A sentence saying what is wrong.
    public var description: String {
        switch self {
        case let .tooLarge(bytes, limit): "the session cookie would be \(bytes) bytes, more than the limit of \(limit): keep less in the session"
        }
    }
}
