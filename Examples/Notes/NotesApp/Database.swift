// A SQLite connection: just enough of the C API for the notes example.

import CSQLite
import Synchronization

/// A value SQLite stores or returns.
enum SQLValue: Sendable, Hashable {
    case integer(Int64)
    case text(String)
    case null

    var integer: Int64? { if case let .integer(value) = self { value } else { nil } }
    var text: String? { if case let .text(value) = self { value } else { nil } }
}

/// A failed SQLite call, with SQLite's message.
struct DatabaseError: Error, CustomStringConvertible {
    var description: String
}

/// One connection; the mutex makes each call exclusive, so a request's tasks can share it.
final class Database: Sendable {
    private let connection: Mutex<OpaquePointer?>

    init(path: String) throws {
        var handle: OpaquePointer?
        guard sqlite3_open(path, &handle) == SQLITE_OK, let handle else {
            defer { sqlite3_close(handle) }
            throw DatabaseError(description: "cannot open \(path): \(handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory")")
        }
        sqlite3_busy_timeout(handle, 5000)  // two writers wait for each other rather than fail
        connection = Mutex(handle)
    }

    /// Runs one statement with `parameters` bound to its `?`s and returns its rows.
    func query(_ sql: String, _ parameters: [SQLValue] = []) throws -> [[SQLValue]] {
        try connection.withLock { handle in
            guard let handle else { throw DatabaseError(description: "the database is closed") }
            let failure = { DatabaseError(description: String(cString: sqlite3_errmsg(handle))) }
            var statement: OpaquePointer?
            guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK else { throw failure() }
            defer { sqlite3_finalize(statement) }
            for (index, parameter) in parameters.enumerated() {
                switch parameter {
                case let .integer(value): sqlite3_bind_int64(statement, Int32(index + 1), value)
                case let .text(value): sqlite3_bind_text(statement, Int32(index + 1), value, -1, csqlite_transient())
                case .null: sqlite3_bind_null(statement, Int32(index + 1))
                }
            }
            var rows: [[SQLValue]] = []
            while true {
                switch sqlite3_step(statement) {
                case SQLITE_ROW:
                    rows.append(
                        (0..<sqlite3_column_count(statement)).map { column in
                            switch sqlite3_column_type(statement, column) {
                            case SQLITE_INTEGER: .integer(sqlite3_column_int64(statement, column))
                            case SQLITE_NULL: .null
                            default: .text(String(cString: sqlite3_column_text(statement, column)))
                            }
                        })
                case SQLITE_DONE: return rows
                default: throw failure()
                }
            }
        }
    }

    /// Closes the connection; later calls fail. Closing twice does nothing.
    func close() {
        connection.withLock { handle in
            sqlite3_close(handle)
            handle = nil
        }
    }

    deinit { close() }
}
