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
                do {
                    return try QueryResult.fetch(db, sql: sql)
                } catch let error as DatabaseError where Self.isQueryError(error) {
                    throw ProjectionError.invalidQuery(ProjectionError.describe(error))
                }
            }
        }
    }

    /// Errors that the statement itself caused while running (an integer overflow, malformed JSON, a
    /// function refused such as `load_extension`, a value too big), as opposed to a damaged or busy file.
    static func isQueryError(_ error: DatabaseError) -> Bool {
        [.SQLITE_ERROR, .SQLITE_AUTH, .SQLITE_TOOBIG, .SQLITE_MISMATCH, .SQLITE_RANGE, .SQLITE_CONSTRAINT].contains(error.resultCode)
    }
}
