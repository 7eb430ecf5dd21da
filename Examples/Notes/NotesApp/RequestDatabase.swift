// One database handle per request: opened on first use, closed when the request completes.

import Sluice

/// The key of a request's open database handle in its context (Spec APP-6).
private enum DatabaseHandle: StorageKey {
    typealias Value = Database
}

extension Request {
    /// This request's database handle. The first call opens it and registers a completion
    /// hook that closes it (Spec LIFE-3); later calls return the same handle; a request that
    /// never calls this opens nothing — Flask's `get_db` and `teardown_appcontext`.
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
