// A SQLite connection: just enough of the C API for the notes example.

import CSQLite
import Synchronization

/// A value SQLite stores or returns.
public enum SQLValue: Sendable, Hashable {
    /// An integer.
    case integer(Int64)
    /// Text.
    case text(String)
    /// NULL.
    case null

    /// The integer, if this is one.
    public var integer: Int64? {
        if case let .integer(value) = self { value } else { nil }
    }

    /// The text, if this is text.
    public var text: String? {
        if case let .text(value) = self { value } else { nil }
    }
}

/// A failed SQLite call, with SQLite's message.
public struct DatabaseError: Error, CustomStringConvertible {
    /// SQLite's explanation.
    public var description: String

    /// An `INSERT … RETURNING` that returned nothing: a bug, not a client's mistake.
    static let noRowReturned = DatabaseError(description: "the statement returned no row")
}

/// One connection to a SQLite database file.
///
/// SQLite connections may be used from one thread at a time; the mutex makes each call
/// exclusive, so the connection can be shared by a request's tasks.
public final class Database: Sendable {
    private let connection: Mutex<OpaquePointer?>

    /// Opens (creating if needed) the database at `path`.
    public init(path: String) throws {
        var handle: OpaquePointer?
        let result = sqlite3_open(path, &handle)
        guard result == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(handle)
            throw DatabaseError(description: "cannot open \(path): \(message)")
        }
        // Two apps, or two requests, writing at once wait for each other rather than fail.
        sqlite3_busy_timeout(handle, 5000)
        connection = Mutex(handle)
    }

    /// Runs SQL statements that take no parameters and return no rows, such as a schema.
    public func execute(_ sql: String) throws {
        try connection.withLock { handle in
            let handle = try Database.open(handle)
            guard sqlite3_exec(handle, sql, nil, nil, nil) == SQLITE_OK else {
                throw DatabaseError(description: String(cString: sqlite3_errmsg(handle)))
            }
        }
    }

    /// Runs one statement with `parameters` bound to its `?`s and returns its rows.
    public func query(_ sql: String, _ parameters: [SQLValue] = []) throws -> [[SQLValue]] {
        try connection.withLock { handle in
            let handle = try Database.open(handle)
            var statement: OpaquePointer?
            guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK else {
                throw DatabaseError(description: String(cString: sqlite3_errmsg(handle)))
            }
            defer { sqlite3_finalize(statement) }
            for (index, parameter) in parameters.enumerated() {
                let position = Int32(index + 1)
                switch parameter {
                case let .integer(value): sqlite3_bind_int64(statement, position, value)
                case let .text(value): sqlite3_bind_text(statement, position, value, -1, csqlite_transient())
                case .null: sqlite3_bind_null(statement, position)
                }
            }
            var rows: [[SQLValue]] = []
            while true {
                switch sqlite3_step(statement) {
                case SQLITE_ROW: rows.append(Database.row(of: statement))
                case SQLITE_DONE: return rows
                default: throw DatabaseError(description: String(cString: sqlite3_errmsg(handle)))
                }
            }
        }
    }

    /// Closes the connection; later calls fail. Closing twice does nothing.
    public func close() {
        connection.withLock { handle in
            sqlite3_close(handle)
            handle = nil
        }
    }

    deinit {
        close()
    }

    private static func open(_ handle: OpaquePointer?) throws -> OpaquePointer {
        guard let handle else { throw DatabaseError(description: "the database is closed") }
        return handle
    }

    private static func row(of statement: OpaquePointer?) -> [SQLValue] {
        (0..<sqlite3_column_count(statement)).map { column in
            switch sqlite3_column_type(statement, column) {
            case SQLITE_INTEGER: .integer(sqlite3_column_int64(statement, column))
            case SQLITE_NULL: .null
            default: .text(String(cString: sqlite3_column_text(statement, column)))
            }
        }
    }
}
