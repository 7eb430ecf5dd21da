// The users blueprint: register a user (and get a token), look one up, ask who you are.

import Sluice

/// A user as registration returns it: the only time the token is shown.
struct Registration: Encodable, Sendable {
    var id: Int64
    var name: String
    var token: String
}

/// The JSON a client sends to register.
struct RegistrationInput: Decodable, Sendable {
    var name: String?

    /// The name, or a 422.
    func validated() throws -> String {
        guard let name, !name.allSatisfy(\.isWhitespace) else {
            throw APIError.invalid(["name": name == nil ? "is required" : "must not be empty"])
        }
        return name
    }
}

/// `/users` (POST registers), `/users/<id>` (GET), and `/users/me` (GET, the current user),
/// itself mounted inside the blueprint.
let usersAPI = Mount(
    ["/me": Resource(requiresUser: true, collection: [.get: { request in JSONReply(try request.requireUser()) }])],
    fallback: Resource(
        collection: [
            .post: { request in
                let name = try await request.decodedBody(as: RegistrationInput.self).validated()
                let token = newToken()
                let rows = try request.database().query(
                    "INSERT INTO users (name, token) VALUES (?, ?) RETURNING id",
                    [.text(name), .text(token)]
                )
                guard let id = rows.first?.first?.integer else { throw DatabaseError.noRowReturned }
                return JSONReply(
                    status: .created,
                    Registration(id: id, name: name, token: token),
                    headers: ["Location": "\(request.scriptName)/\(id)"]
                )
            },
        ],
        item: [
            .get: { request, id in
                let rows = try request.database().query("SELECT id, name FROM users WHERE id = ?", [.integer(id)])
                guard let user = rows.first.flatMap(User.init(row:)) else { throw APIError.notFound }
                return JSONReply(user)
            },
        ]
    )
)

/// 128 random bits in hexadecimal; the system generator is cryptographically secure.
private func newToken() -> String {
    (0..<2).map { _ in
        let digits = String(UInt64.random(in: .min ... .max), radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }.joined()
}
