// The app factory: one call builds a complete, independently configured notes application.

public import Sluice
import SluiceJSON
public import SluiceSessions
import SluiceToolkit

#if canImport(Glibc)
import Glibc
#endif

/// The settings of one notes application, reaching every request through
/// ``Request/configuration`` (Spec APP-5).
public struct NotesConfiguration: Sendable {
    /// The SQLite database file; created, with its tables, when the app starts. Attachments
    /// go to a directory beside it, `PATH.attachments`.
    public var databasePath: String
    /// The name the app answers with at its root.
    public var title: String
    /// The key that signs session cookies (form login).
    public var sessionKey: SessionKey
    /// Called on each database open and close and each current-user lookup: how tests see
    /// that a request opens one handle, closes it, and loads its user once.
    public var observe: @Sendable (NotesEvent) -> Void

    /// Creates a configuration.
    public init(databasePath: String, title: String = "Notes", sessionKey: SessionKey = .random(), observe: @escaping @Sendable (NotesEvent) -> Void = { _ in })
    {
        (self.databasePath, self.title, self.sessionKey, self.observe) = (databasePath, title, sessionKey, observe)
    }

    var attachments: String { databasePath + ".attachments" }
}

/// Something a notes application did that a test may want to count.
public enum NotesEvent: Sendable, Hashable {
    /// A request opened its database handle.
    case databaseOpened
    /// A request's completion hook closed its database handle.
    case databaseClosed
    /// A request looked its user up in the users table.
    case userLoaded
}

/// Builds a notes application from `configuration` — Flask's `create_app`.
///
/// Each call makes an independent app: two with different database paths share nothing and
/// run side by side in one process. It is made of blueprints (`/users`, `/notes`); each request
/// opens its database lazily, closes it when it completes, and loads its user once (Spec APP-6,
/// LIFE-3); `startup()` creates the tables (Spec LIFE-1).
public func makeNotesApp(_ configuration: NotesConfiguration) -> any Application {
    var router = Router()
    router.get("/") { request in
        try .json(["title": request.notes.title, "notes": try request.url(for: "notes"), "users": try request.url(for: "users")])
    }
    router.mount("/users", users)
    router.mount("/notes", notes)
    return App(startup: { try createSchema(configuration) }) { [router] request in try await router.respond(to: request) }
        .wrapped(by: Sessions(keys: [configuration.sessionKey]).middleware)
        .configured(Configuration().setting(NotesSettings.self, to: configuration))
}

/// Creates the tables, if missing, and the attachments directory.
private func createSchema(_ configuration: NotesConfiguration) throws {
    mkdir(configuration.attachments, 0o700)
    let database = try Database(path: configuration.databasePath)
    defer { database.close() }
    _ = try database.query("CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, token TEXT NOT NULL UNIQUE)")
    _ = try database.query(
        "CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, owner INTEGER NOT NULL REFERENCES users (id), title TEXT NOT NULL, body TEXT NOT NULL, attachment TEXT)"
    )
}

/// The key under which a notes app's ``NotesConfiguration`` sits in ``Configuration``.
private enum NotesSettings: StorageKey {
    typealias Value = NotesConfiguration
}

/// The key of a request's open database handle in its context (Spec APP-6).
private enum DatabaseHandle: StorageKey {
    typealias Value = Database
}

extension Request {
    /// This request's notes configuration, set by the app factory.
    var notes: NotesConfiguration { configuration[NotesSettings.self]! }

    /// This request's database handle: opened on first use, closed by a completion hook
    /// (Spec LIFE-3) — Flask's `get_db` and `teardown_appcontext`.
    func database() throws -> Database {
        try context.value(for: DatabaseHandle.self) {
            let settings = notes
            let database = try Database(path: settings.databasePath)
            settings.observe(.databaseOpened)
            onCompletion { _ in
                database.close()
                settings.observe(.databaseClosed)
            }
            return database
        }
    }
}
