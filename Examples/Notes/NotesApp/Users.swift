// The users blueprint (register, look up, who am I), form login, and the current user.

import Sluice
import SluiceJSON
import SluiceSessions
import SluiceToolkit

/// A registered user, as the API shows it.
struct User: Codable, Sendable {
    var id: Int64
    var name: String

    init?(row: [SQLValue]) {
        guard let id = row.first?.integer, let name = row.last?.text else { return nil }
        (self.id, self.name) = (id, name)
    }
}

/// What a client sends to register, and what it gets back: the only time the token is shown.
private struct Registration: Codable, Sendable {
    var id: Int64?
    var name: String?
    var token: String?
}

/// `POST /users` registers, `GET /users/<id>` shows a user, `GET /users/me` the current one.
/// `POST /users/login` signs in with a form (`token=…`): a session cookie then stands for the
/// token; `POST /users/logout` signs out.
var users: Router {
    var users = Router()
    users.post("/", name: "users") { request in
        let name = try await request.decode(Registration.self).name
        guard let name, !name.allSatisfy(\.isWhitespace) else {
            throw HTTPError.invalid(["name": name == nil ? "is required" : "must not be empty"])
        }
        // 128 bits from the system's cryptographically secure generator.
        let token = (0..<16).map { _ in String(Int.random(in: 0...255) | 0x100, radix: 16).dropFirst() }.joined()
        let rows = try request.database().query("INSERT INTO users (name, token) VALUES (?, ?) RETURNING id", [.text(name), .text(token)])
        let id = rows[0][0].integer!
        return try .json(Registration(id: id, name: name, token: token), status: .created, headers: ["Location": try request.url(for: "user", ["id": id])])
    }
    users.get("/me") { request in try .json(try await request.requireUser()) }
    users.get("/:id", name: "user") { request in
        let id = try request.parameters.require("id", as: Int64.self)
        guard let user = try request.database().query("SELECT id, name FROM users WHERE id = ?", [.integer(id)]).first.flatMap(User.init) else {
            throw HTTPError(.notFound, detail: "no user \(id)")
        }
        return try .json(user)
    }
    users.post("/login") { request in
        let token = try await request.form()["token"] ?? ""
        guard let user = try request.database().query("SELECT id, name FROM users WHERE token = ?", [.text(token)]).first.flatMap(User.init) else {
            throw HTTPError.invalid(["token": "is not a registered user's"])
        }
        request.session["user"] = String(user.id)
        return Response(status: .seeOther, headers: ["Location": try request.url(for: "notes")])
    }
    users.post("/logout") { request in
        request.session.clear()
        return Response(status: .noContent)
    }
    return users
}

/// The key of the request's user in its context; `nil` remembers "looked up, nobody".
private enum CurrentUser: StorageKey {
    typealias Value = User?
}

extension Request {
    /// The user named by `Authorization: Bearer <token>` or by the session, or `nil`: looked
    /// up once per request, however many hooks and handlers ask (Flask's `g.user`).
    func currentUser() async throws -> User? {
        try await context.lazyValue(for: CurrentUser.self) {
            let bearer = headers["Authorization"].flatMap { $0.lowercased().hasPrefix("bearer ") ? String($0.dropFirst(7)) : nil }
            let (column, value): (String, SQLValue)
            if let bearer {
                (column, value) = ("token", .text(bearer))
            } else if let id = session["user"].flatMap(Int64.init) {
                (column, value) = ("id", .integer(id))
            } else {
                return nil
            }
            notes.observe(.userLoaded)
            return try database().query("SELECT id, name FROM users WHERE \(column) = ?", [value]).first.flatMap(User.init)
        }
    }

    /// The current user, or a 401 for requests that name nobody known.
    func requireUser() async throws -> User {
        guard let user = try await currentUser() else {
            throw HTTPError(
                .unauthorized, detail: "send Authorization: Bearer <token> of a registered user, or sign in", headers: ["WWW-Authenticate": "Bearer"])
        }
        return user
    }
}
