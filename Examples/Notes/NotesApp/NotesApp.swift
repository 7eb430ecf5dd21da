// The app factory: one call builds a complete, independently configured notes application.

public import Sluice

/// Builds a notes application from `configuration` — Flask's `create_app`.
///
/// Each call makes an independent app: two built with different database paths share
/// nothing, and can run side by side in one process. The app is made of blueprints mounted
/// under prefixes (`/notes`, `/users`, Spec MOUNT-1, MOUNT-2); its configuration reaches every
/// request through ``Request/configuration`` (Spec APP-5); each request opens its database
/// handle lazily and closes it in a completion hook, and loads its user once (Spec APP-6,
/// LIFE-3). `startup()` creates the tables (Spec LIFE-1).
///
/// ```swift
/// let app = makeNotesApp(NotesConfiguration(databasePath: "notes.sqlite3", title: "My notes"))
/// ```
public func makeNotesApp(_ configuration: NotesConfiguration) -> any Application {
    let blueprints = Mount(["/notes": notesAPI, "/users": usersAPI], fallback: index)
    return App(startup: { try createSchema(at: configuration.databasePath) }) { request in
        try await blueprints.respond(to: request)
    }
    .configured(Configuration().setting(NotesSettings.self, to: configuration))
}

/// The root: the app's title and where its blueprints are; anything else is 404.
private let index = Resource(collection: [
    .get: { request in JSONReply(Index(title: request.notes.title, notes: request.scriptName + "/notes", users: request.scriptName + "/users")) },
])

/// What the root answers with.
private struct Index: Encodable, Sendable {
    var title: String
    var notes: String
    var users: String
}

/// Creates the tables, if missing, in the database at `path`.
private func createSchema(at path: String) throws {
    let database = try Database(path: path)
    defer { database.close() }
    try database.execute(
        """
        CREATE TABLE IF NOT EXISTS users (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            token TEXT NOT NULL UNIQUE
        );
        CREATE TABLE IF NOT EXISTS notes (
            id INTEGER PRIMARY KEY,
            owner INTEGER NOT NULL REFERENCES users (id),
            title TEXT NOT NULL,
            body TEXT NOT NULL
        );
        """
    )
}
