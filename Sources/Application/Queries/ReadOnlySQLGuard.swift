import Foundation

/// The front ends' own first check on a read-only SQL statement (`teamlog sql`, `GET /v1/sql`), before SQLite's (`sqlite3_stmt_readonly`, which the read
/// models' runner applies): SQLite counts ATTACH, DETACH and transaction control as read-only, so the
/// statement must also start with a reading keyword.
public enum ReadOnlySQLGuard {
    static let allowed: Set<String> = ["SELECT", "WITH", "VALUES", "EXPLAIN", "PRAGMA"]

    /// A usage error naming what is refused, for a statement that is empty or does not start reading.
    public static func check(_ sql: String) throws(ApplicationError) {
        guard let keyword = firstKeyword(sql) else {
            throw ApplicationError(.usage, "the SQL statement is empty: give one SELECT statement.")
        }
        guard allowed.contains(keyword) else {
            throw ApplicationError(.usage, "only read-only statements run over the read models (SELECT, WITH, VALUES, EXPLAIN, read-only PRAGMA); \(keyword) is refused.")
        }
    }

    /// The first word of the statement, upper-cased, after whitespace and comments.
    static func firstKeyword(_ sql: String) -> String? {
        var rest = Substring(sql)
        while true {
            rest = rest.drop { $0.isWhitespace }
            if rest.hasPrefix("--") {
                rest = rest.drop { $0 != "\n" }
            } else if rest.hasPrefix("/*") {
                guard let end = rest.range(of: "*/") else { return nil }
                rest = rest[end.upperBound...]
            } else {
                break
            }
        }
        let word = rest.prefix { $0.isLetter }
        return word.isEmpty ? nil : word.uppercased()
    }
}
