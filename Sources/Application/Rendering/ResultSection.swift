public import GRDB
public import Projections

/// One titled part of a query's answer (a view answers with one or several).
public struct ResultSection: Sendable {
    public var title: String
    public var result: QueryResult

    public init(_ title: String, _ result: QueryResult) {
        self.title = title
        self.result = result
    }

    /// A section of one row from name/value pairs (summaries such as an inbox's unread total).
    public init(_ title: String, pairs: [(String, DatabaseValue)]) {
        self.title = title
        result = QueryResult(columns: pairs.map(\.0), rows: [pairs.map(\.1)])
    }
}
