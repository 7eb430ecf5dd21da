// What one notes application is configured with: the app factory's argument.

import Sluice

/// The settings of one notes application; ``makeNotesApp(_:)`` builds an app from them, and
/// every request reaches them through its ``Request/configuration`` (Spec APP-5).
public struct NotesConfiguration: Sendable {
    /// The SQLite database file; created, with its tables, when the app starts.
    public var databasePath: String
    /// The name the app answers with at its root.
    public var title: String
    /// Called on each database open and close and each current-user lookup: how tests see
    /// that a request opens one handle, closes it, and loads its user once.
    public var observe: @Sendable (NotesEvent) -> Void

    /// Creates a configuration.
    public init(databasePath: String, title: String = "Notes", observe: @escaping @Sendable (NotesEvent) -> Void = { _ in }) {
        self.databasePath = databasePath
        self.title = title
        self.observe = observe
    }
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

/// The key under which a notes app's ``NotesConfiguration`` sits in ``Configuration``.
enum NotesSettings: StorageKey {
    typealias Value = NotesConfiguration
}

extension Request {
    /// This request's notes configuration, set by the app factory.
    var notes: NotesConfiguration {
        guard let settings = configuration[NotesSettings.self] else {
            preconditionFailure("a notes handler ran outside an app built by makeNotesApp")
        }
        return settings
    }
}
