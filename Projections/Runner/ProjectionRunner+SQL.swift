import GRDB

extension ProjectionRunner {
    /// Runs one read-only SQL statement over all the live views, attached to one connection under
    /// their view names (unqualified table names resolve, since they are unique across views).
    public func readOnlySQL(_ sql: String) throws(ProjectionError) -> QueryResult {
        let existing = projections.filter { FileSystem.exists(path(ofView: $0.name)) }
        guard let first = existing.first else { return QueryResult(columns: [], rows: []) }
        // Opening each view for writing first rolls back the journal of a writer killed mid-transaction,
        // which a read-only connection cannot do.
        for projection in existing { _ = try liveFile(projection) }
        return try guarded(view: nil) {
            let file = try ViewFile(path: path(ofView: first.name), mode: .readOnly, busyTimeout: options.busyTimeout)
            defer { try? file.close() }
            return try file.queue.inDatabase { db in
                for projection in existing.dropFirst() {
                    try db.execute(sql: "ATTACH DATABASE ? AS \(projection.name.quotedDatabaseIdentifier)",
                                   arguments: [path(ofView: projection.name)])
                }
                let statement: Statement
                do {
                    statement = try db.makeStatement(sql: sql)
                } catch {
                    throw ProjectionError.invalidQuery(ProjectionError.describe(error))
                }
                guard statement.isReadonly else {
                    throw ProjectionError.invalidQuery("only read-only statements (SELECT, WITH, read-only PRAGMAs) may run over the views")
                }
                return try QueryResult.fetch(db, sql: sql)
            }
        }
    }
}
