public import GRDB

/// Equality filters on a query's columns, of which only those given take part. The query then names
/// exactly the columns it filters on, so that SQLite can use their indexes: the catch-all form
/// `(?1 IS NULL OR column = ?1)` hides the column from the query planner, which then scans the table.
public struct ColumnFilter: Sendable {
    /// The columns filtered on, in the order given, and the value each must equal.
    public private(set) var terms: [(column: String, value: String)] = []

    /// `candidates`: column names (from code, never from input) and their wanted values, nil for any.
    public init(_ candidates: KeyValuePairs<String, String?>) {
        for (column, value) in candidates {
            if let value { terms.append((column, value)) }
        }
    }

    /// `WHERE a = ? AND b = ?`, or nothing when no filter was given.
    public var whereClause: String {
        terms.isEmpty ? "" : "WHERE " + terms.map { "\($0.column) = ?" }.joined(separator: " AND ")
    }

    public var arguments: StatementArguments { StatementArguments(terms.map(\.value)) }
}
