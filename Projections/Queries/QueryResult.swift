public import GRDB

/// Rows of a query, ready to print as a table, JSON or CSV.
public struct QueryResult: Sendable, Hashable {
    public var columns: [String]
    public var rows: [[DatabaseValue]]

    public init(columns: [String], rows: [[DatabaseValue]]) {
        self.columns = columns
        self.rows = rows
    }

    /// Each row as a dictionary from column name to value.
    public var records: [[String: DatabaseValue]] {
        rows.map { Dictionary(zip(columns, $0), uniquingKeysWith: { first, _ in first }) }
    }

    static func fetch(_ db: Database, sql: String, arguments: StatementArguments = []) throws -> QueryResult {
        let statement = try db.makeStatement(sql: sql)
        let columns = statement.columnNames
        var rows: [[DatabaseValue]] = []
        let cursor = try Row.fetchCursor(statement, arguments: arguments)
        while let row = try cursor.next() {
            rows.append(Array(row.databaseValues))
        }
        return QueryResult(columns: columns, rows: rows)
    }
}

/// One user's Message Center inbox.
public struct InboxResult: Sendable, Hashable {
    /// The user's threads, most recent activity first, with their unread counts.
    public var threads: QueryResult
    /// The messages of those threads, thread by thread in the same order, oldest first.
    public var messages: QueryResult
    /// Contact details shared in those threads.
    public var contacts: QueryResult
    public var unreadTotal: Int
}

/// One assignment: its row, its parties (with the address to email each), its payments.
public struct AssignmentResult: Sendable, Hashable {
    public var assignment: QueryResult
    public var parties: QueryResult
    public var payments: QueryResult
}
