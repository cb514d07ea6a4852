import CSQLite

/// An error from SQLite with its message, or a schema problem.
public struct ResultStoreError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// A thin, typed wrapper of SQLite's C API: open, execute, prepared statements and
/// transactions. One connection, used from one thread at a time.
final class SQLiteDatabase {
    private(set) var handle: OpaquePointer?
    private var statementCache: [String: Statement] = [:]

    init(path: String) throws(ResultStoreError) {
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        guard sqlite3_open_v2(path, &handle, flags, nil) == SQLITE_OK else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(handle)
            handle = nil
            throw ResultStoreError("cannot open \(path): \(message)")
        }
        sqlite3_busy_timeout(handle, 10_000)
    }

    deinit {
        statementCache.removeAll()   // finalized before the connection closes
        sqlite3_close_v2(handle)
    }

    var lastError: String { String(cString: sqlite3_errmsg(handle)) }

    /// Runs one or more statements without results.
    func execute(_ sql: String) throws(ResultStoreError) {
        var message: UnsafeMutablePointer<CChar>?
        guard sqlite3_exec(handle, sql, nil, nil, &message) == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? lastError
            sqlite3_free(message)
            throw ResultStoreError("SQL error: \(text)")
        }
    }

    func prepare(_ sql: String) throws(ResultStoreError) -> Statement {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw ResultStoreError("SQL error: \(lastError) in \(sql)")
        }
        return Statement(statement, database: self)
    }

    /// `sql` prepared once and kept for reuse: for the statements every recorded run
    /// executes. Not for statements whose schema can change (attached databases).
    func cached(_ sql: String) throws(ResultStoreError) -> Statement {
        if let statement = statementCache[sql] { return statement }
        let statement = try prepare(sql)
        statementCache[sql] = statement
        return statement
    }

    var lastInsertedRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    var changes: Int { Int(sqlite3_changes(handle)) }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    func transaction<T>(_ body: () throws(ResultStoreError) -> T) throws(ResultStoreError) -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }
}

/// A prepared statement: bind, step, read columns, reset.
final class Statement {
    private let statement: OpaquePointer
    private unowned let database: SQLiteDatabase

    init(_ statement: OpaquePointer, database: SQLiteDatabase) {
        self.statement = statement
        self.database = database
    }

    deinit { sqlite3_finalize(statement) }

    /// Values a statement binds.
    enum Value {
        case integer(Int64)
        case real(Double)
        case text(String)
        case null
    }

    /// Binds `values` to parameters 1...n, runs the statement to completion, resets it.
    func run(_ values: [Value]) throws(ResultStoreError) {
        try bind(values)
        defer { sqlite3_reset(statement) }
        let code = sqlite3_step(statement)
        guard code == SQLITE_DONE || code == SQLITE_ROW else { throw ResultStoreError("SQL error: \(database.lastError)") }
    }

    /// Binds `values`, then calls `row` for each result row.
    func query(_ values: [Value] = [], row: (Statement) throws(ResultStoreError) -> Void) throws(ResultStoreError) {
        try bind(values)
        defer { sqlite3_reset(statement) }
        while true {
            let code = sqlite3_step(statement)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else { throw ResultStoreError("SQL error: \(database.lastError)") }
            try row(self)
        }
    }

    private func bind(_ values: [Value]) throws(ResultStoreError) {
        sqlite3_clear_bindings(statement)
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let code: Int32
            switch value {
            case .integer(let v): code = sqlite3_bind_int64(statement, index, v)
            case .real(let v): code = sqlite3_bind_double(statement, index, v)
            case .text(let v): code = icelab_sqlite3_bind_text_transient(statement, index, v, -1)
            case .null: code = sqlite3_bind_null(statement, index)
            }
            guard code == SQLITE_OK else { throw ResultStoreError("SQL bind error: \(database.lastError)") }
        }
    }

    var columnCount: Int32 { sqlite3_column_count(statement) }
    func int(_ column: Int32) -> Int64 { sqlite3_column_int64(statement, column) }
    func double(_ column: Int32) -> Double { sqlite3_column_double(statement, column) }
    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(statement, column) == SQLITE_NULL }
    func text(_ column: Int32) -> String {
        guard let pointer = sqlite3_column_text(statement, column) else { return "" }
        return String(cString: pointer)
    }
    func optionalDouble(_ column: Int32) -> Double? { isNull(column) ? nil : double(column) }
    func optionalText(_ column: Int32) -> String? { isNull(column) ? nil : text(column) }
    func optionalInt(_ column: Int32) -> Int64? { isNull(column) ? nil : int(column) }
}
