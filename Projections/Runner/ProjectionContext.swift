public import GRDB
import GRDBSQLite

/// What a projector writes through: the view's database connection and its prepared statements,
/// kept for the whole catch-up or rebuild (statements are looked up by a small slot number, not by
/// their SQL, and bound through SQLite's C API: the projectors' hot path).
public final class ProjectionContext: @unchecked Sendable {
    /// The view's connection, inside the transaction that also moves the checkpoint.
    public let db: Database
    private var statements: [FastStatement?] = []

    init(db: Database) {
        self.db = db
    }

    /// The statement in `slot`, prepared from `sql` on first use.
    public func statement(_ slot: Int, _ sql: @autoclosure () -> String) throws -> FastStatement {
        if slot < statements.count, let statement = statements[slot] { return statement }
        if slot >= statements.count { statements.append(contentsOf: repeatElement(nil, count: slot - statements.count + 1)) }
        let statement = try FastStatement(db.makeStatement(sql: sql()), db: db)
        statements[slot] = statement
        return statement
    }
}

/// A prepared statement bound by parameter index (1-based) and run with `execute()`, or stepped with
/// `step()` and read with the column accessors (0-based).
public final class FastStatement {
    private let statement: Statement
    private let handle: SQLiteStatement
    private let db: Database
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(_ statement: Statement, db: Database) {
        self.statement = statement
        self.handle = statement.sqliteStatement
        self.db = db
    }

    public func bind(_ index: Int32, _ value: String) {
        var value = value
        value.withUTF8 { bytes in
            _ = sqlite3_bind_text(handle, index, bytes.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) },
                                  Int32(bytes.count), Self.transient)
        }
    }

    public func bind(_ index: Int32, _ value: String?) {
        if let value { bind(index, value) } else { sqlite3_bind_null(handle, index) }
    }

    public func bind(_ index: Int32, _ value: Int64) {
        sqlite3_bind_int64(handle, index, value)
    }

    public func bind(_ index: Int32, _ value: Int) {
        sqlite3_bind_int64(handle, index, Int64(value))
    }

    public func bind(_ index: Int32, _ value: Int?) {
        if let value { bind(index, value) } else { sqlite3_bind_null(handle, index) }
    }

    public func bind(_ index: Int32, _ value: UInt64) {
        sqlite3_bind_int64(handle, index, Int64(bitPattern: value))
    }

    public func bind(_ index: Int32, _ value: Bool) {
        sqlite3_bind_int64(handle, index, value ? 1 : 0)
    }

    /// Runs the statement to completion and resets it.
    public func execute() throws {
        while try step() {}
        sqlite3_reset(handle)
    }

    /// Advances to the next row: true if there is one. Call `reset()` when done with the rows.
    public func step() throws -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW:
            return true
        case SQLITE_DONE:
            return false
        case let code:
            let message = String(cString: sqlite3_errmsg(db.sqliteConnection))
            sqlite3_reset(handle)
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
        }
    }

    public func reset() {
        sqlite3_reset(handle)
    }

    public func int64(_ column: Int32) -> Int64 {
        sqlite3_column_int64(handle, column)
    }

    public func text(_ column: Int32) -> String? {
        guard let text = sqlite3_column_text(handle, column) else { return nil }
        return String(cString: text)
    }

    public func isNull(_ column: Int32) -> Bool {
        sqlite3_column_type(handle, column) == SQLITE_NULL
    }
}
