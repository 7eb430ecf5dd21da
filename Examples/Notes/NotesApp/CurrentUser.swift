// The user a request acts for: looked up once, from its bearer token, and kept for the request.

import Foundation
import Sluice

/// A registered user, as the API shows it.
public struct User: Codable, Sendable, Hashable {
    /// The user's id.
    public var id: Int64
    /// The user's name.
    public var name: String
}

/// The key of the request's user lookup in its context; `user` is `nil` when the request
/// named nobody, so "looked up, nobody" is remembered too.
private enum CurrentUser: StorageKey {
    struct Value: Sendable {
        var user: User?
    }
}

extension Request {
    /// The user whose token is in `Authorization: Bearer <token>`, or `nil`. The users table
    /// is consulted once per request, however many handlers ask (Flask's `g.user`).
    func currentUser() throws -> User? {
        try context.value(for: CurrentUser.self) {
            guard let token = bearerToken else { return CurrentUser.Value(user: nil) }
            notes.observe(.userLoaded)
            let rows = try database().query("SELECT id, name FROM users WHERE token = ?", [.text(token)])
            return CurrentUser.Value(user: rows.first.flatMap(User.init(row:)))
        }.user
    }

    /// The current user, or a 401 for requests that name nobody known.
    func requireUser() throws -> User {
        guard let user = try currentUser() else { throw APIError.unauthorized }
        return user
    }

    /// The token of an `Authorization: Bearer <token>` field.
    private var bearerToken: String? {
        guard let value = headers["Authorization"], value.lowercased().hasPrefix("bearer ") else { return nil }
        let token = value.dropFirst("bearer ".count).trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }
}

extension User {
    /// A user from a `SELECT id, name` row.
    init?(row: [SQLValue]) {
        guard row.count == 2, let id = row[0].integer, let name = row[1].text else { return nil }
        self.init(id: id, name: name)
    }
}
