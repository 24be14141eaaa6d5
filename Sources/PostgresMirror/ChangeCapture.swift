import GRDB
import GRDBSQLite

/// Which rows of a view's tables a catch-up batch touched, recorded in SQLite as the batch writes them:
/// temporary triggers on the view's connection (the view's file is not changed) put the primary key of
/// every row inserted, updated or deleted into a temporary table, which the batch's own transaction
/// holds (a batch that rolls back leaves no keys behind).
enum ChangeCapture {
    /// The temporary table of `table`'s touched keys.
    static func keysTable(_ table: String) -> String { "teamlog_touched_\(table)" }

    /// Installs the capture on the connection (once per connection) and empties the key tables.
    static func begin(_ layout: ViewLayout, db: Database) throws {
        for table in layout.tables where !table.primaryKey.isEmpty {
            let keys = quoted(keysTable(table.name))
            let columns = table.primaryKey.map(quoted).joined(separator: ", ")
            try db.execute(sql: "CREATE TEMP TABLE IF NOT EXISTS \(keys) (\(columns))")
            func values(_ row: String) -> String { table.primaryKey.map { "\(row).\(quoted($0))" }.joined(separator: ", ") }
            let target = quoted(table.name)
            try db.execute(sql: """
                CREATE TEMP TRIGGER IF NOT EXISTS \(quoted("teamlog_touched_\(table.name)_insert")) AFTER INSERT ON \(target)
                BEGIN INSERT INTO \(keys) VALUES (\(values("NEW"))); END
                """)
            try db.execute(sql: """
                CREATE TEMP TRIGGER IF NOT EXISTS \(quoted("teamlog_touched_\(table.name)_update")) AFTER UPDATE ON \(target)
                BEGIN INSERT INTO \(keys) VALUES (\(values("OLD"))); INSERT INTO \(keys) VALUES (\(values("NEW"))); END
                """)
            try db.execute(sql: """
                CREATE TEMP TRIGGER IF NOT EXISTS \(quoted("teamlog_touched_\(table.name)_delete")) AFTER DELETE ON \(target)
                BEGIN INSERT INTO \(keys) VALUES (\(values("OLD"))); END
                """)
            try db.execute(sql: "DELETE FROM temp.\(keys)")
        }
    }

    /// A table's changes in a batch: the touched keys (to delete in PostgreSQL) and the rows those keys
    /// have now (to insert after), in COPY text.
    struct TableChange {
        var table: ViewLayout.Table
        /// The touched keys, one array per primary-key column (text or integer).
        var keys: [KeyColumn]
        var rows: CopyText
        var keyCount: Int
    }

    enum KeyColumn {
        case text([String])
        case integer([Int64])
    }

    /// The changes of every table that the batch touched.
    static func changes(_ layout: ViewLayout, db: Database) throws -> [TableChange] {
        var changes: [TableChange] = []
        for table in layout.tables where !table.primaryKey.isEmpty {
            let keys = quoted(keysTable(table.name))
            let keyColumns = table.primaryKey.map(quoted).joined(separator: ", ")
            let keyTypes = table.primaryKey.map { key in table.columns.first { $0.name == key }?.type ?? .text }
            var text = Array(repeating: [String](), count: keyTypes.count)
            var integers = Array(repeating: [Int64](), count: keyTypes.count)
            var count = 0
            let keyStatement = try db.makeStatement(sql: "SELECT DISTINCT \(keyColumns) FROM temp.\(keys)")
            try step(keyStatement, db: db) { handle in
                for (index, type) in keyTypes.enumerated() {
                    if type == .integer { integers[index].append(sqlite3_column_int64(handle, Int32(index))) }
                    else { text[index].append(sqlite3_column_text(handle, Int32(index)).map { String(cString: $0) } ?? "") }
                }
                count += 1
            }
            guard count > 0 else { continue }
            var rows = CopyText()
            let types = table.columns.map(\.type)
            let rowStatement = try db.makeStatement(sql: """
                SELECT \(table.columnList) FROM main.\(quoted(table.name))
                WHERE (\(keyColumns)) IN (SELECT \(keyColumns) FROM temp.\(keys))
                """)
            try step(rowStatement, db: db) { handle in rows.appendRow(of: handle, types: types) }
            let columns = keyTypes.enumerated().map { index, type in
                type == .integer ? KeyColumn.integer(integers[index]) : KeyColumn.text(text[index])
            }
            changes.append(TableChange(table: table, keys: columns, rows: rows, keyCount: count))
        }
        return changes
    }

    /// Steps a statement to its end, calling `row` for each row.
    static func step(_ statement: Statement, db: Database, row: (OpaquePointer?) throws -> Void) throws {
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
                                    sql: statement.sql)
            }
            try row(handle)
        }
    }
}
