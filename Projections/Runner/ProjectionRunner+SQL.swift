import CSQLiteSupport
import GRDB
import PosixFiles

extension ProjectionRunner {
    /// Runs one read-only SQL statement over all the live views, attached to one connection under
    /// their view names (unqualified table names resolve, since they are unique across views).
    ///
    /// The statement is the user's, so its connection is restricted (`teamlog_sql_guard_install`): the
    /// functions that reach beyond the data (`fts3_tokenizer`, `load_extension`) and ATTACH/DETACH are
    /// refused (`invalidQuery`), and with `timeLimit` (seconds) a statement still running after that long
    /// is stopped (`queryTimeLimit`). Keep the limit below `options.busyTimeout`: while the statement
    /// runs it holds read locks on every view, and a catch-up waits for them at most that long.
    public func readOnlySQL(_ sql: String, timeLimit: Double? = nil) throws(ProjectionError) -> QueryResult {
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
                let guardian = teamlog_sql_guard_install(UnsafeMutableRawPointer(db.sqliteConnection), timeLimit ?? 0)
                defer { teamlog_sql_guard_remove(UnsafeMutableRawPointer(db.sqliteConnection), guardian) }
                func refused(_ error: any Error) -> ProjectionError {
                    if let denied = teamlog_sql_guard_denied(guardian) {
                        return .invalidQuery("\(String(cString: denied)) is not allowed over the views (it reaches beyond their data)")
                    }
                    return .invalidQuery(ProjectionError.describe(error))
                }
                let statement: Statement
                do {
                    statement = try db.makeStatement(sql: sql)
                } catch {
                    throw refused(error)
                }
                guard statement.isReadonly else {
                    throw ProjectionError.invalidQuery("only read-only statements (SELECT, WITH, read-only PRAGMAs) may run over the views")
                }
                do {
                    return try QueryResult.fetch(db, sql: sql)
                } catch let error as DatabaseError where error.resultCode == .SQLITE_INTERRUPT && teamlog_sql_guard_timed_out(guardian) != 0 {
                    throw ProjectionError.queryTimeLimit(seconds: timeLimit ?? 0)
                } catch let error as DatabaseError where Self.isQueryError(error) {
                    throw refused(error)
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
