import GRDB
import PostgresNIO
import Projections
import Synchronization

/// Writes each catch-up batch of a shadow view to PostgreSQL inside the shadow's own transaction
/// (`ViewCommitHook`): the touched rows are deleted and inserted anew with their values after the
/// batch, and the view's checkpoint moves, in one PostgreSQL transaction that commits before the
/// shadow's. A kill between the two commits leaves PostgreSQL one batch ahead of the shadow; the next
/// run re-applies that batch to the shadow and, finding PostgreSQL already at or past its end, sends
/// nothing: no event is applied twice and none is skipped.
final class MirrorHook: ViewCommitHook {
    private let pool: PostgresPool
    private let state = Mutex<State>(State())

    private struct State {
        /// The views whose batches go to PostgreSQL (a view being copied whole gets none).
        var enabled: Set<String> = []
        var layouts: [String: ViewLayout] = [:]
        /// The first failure of each view's hook, kept typed (the runner reports it as a view failure).
        var failures: [String: MirrorError] = [:]
        var rowsWritten = 0
        var batchesWritten = 0
    }

    init(pool: PostgresPool) {
        self.pool = pool
    }

    func enable(_ views: [String]) { state.withLock { $0.enabled.formUnion(views) } }
    func disable(_ views: [String]) { state.withLock { $0.enabled.subtract(views) } }

    /// The failure the hook met in `view` since the last `takeFailures`.
    func takeFailures() -> [String: MirrorError] {
        state.withLock { state in
            defer { state.failures = [:] }
            return state.failures
        }
    }

    var written: (rows: Int, batches: Int) { state.withLock { ($0.rowsWritten, $0.batchesWritten) } }

    private func layout(_ view: any Projection, db: Database) throws -> ViewLayout? {
        let known = state.withLock { state -> (Bool, ViewLayout?) in (state.enabled.contains(view.name), state.layouts[view.name]) }
        guard known.0 else { return nil }
        if let layout = known.1 { return layout }
        let made = try ViewLayout(projection: view, db: db)
        state.withLock { $0.layouts[view.name] = made }
        return made
    }

    func willApply(view: any Projection, db: Database, checkpoint: UInt64) throws {
        guard let layout = try layout(view, db: db) else { return }
        try ChangeCapture.begin(layout, db: db)
    }

    func willCommit(view: any Projection, db: Database, from checkpoint: UInt64, to position: UInt64, recordedAtMicros: Int64) throws {
        guard let layout = try layout(view, db: db) else { return }
        let changes = try ChangeCapture.changes(layout, db: db)
        do {
            try write(changes, layout: layout, from: checkpoint, to: position, recordedAtMicros: recordedAtMicros)
        } catch {
            let failure = MirrorError.postgres(error, endpoint: pool.endpoint)
            state.withLock { if $0.failures[view.name] == nil { $0.failures[view.name] = failure } }
            throw failure
        }
    }

    /// One PostgreSQL transaction: the checkpoint row locked and checked, the touched rows replaced, the
    /// checkpoint moved.
    private func write(_ changes: [ChangeCapture.TableChange], layout: ViewLayout, from: UInt64, to: UInt64,
                       recordedAtMicros: Int64) throws(MirrorError) {
        let schema = layout.schema
        let view = layout.view
        let sent = try pool.withConnection { connection -> Bool in
            try await connection.execute("BEGIN")
            try await connection.execute("SET LOCAL search_path TO \(quoted(schema))")
            var binds = PostgresBindings()
            binds.append(view)
            let rows = try await connection.rows("SELECT position FROM projection_checkpoint WHERE view = $1 FOR UPDATE", binds)
            guard let row = rows.first else {
                try await connection.execute("ROLLBACK")
                throw MirrorError.diverged(view: view, postgres: 0, shadow: from)
            }
            let current = UInt64(max(0, try row.decode(Int64.self)))
            if current >= to {
                // PostgreSQL committed this batch before the shadow could (a kill in between): already there.
                try await connection.execute("ROLLBACK")
                return false
            }
            guard current >= from else {
                try await connection.execute("ROLLBACK")
                throw MirrorError.diverged(view: view, postgres: current, shadow: from)
            }
            for change in changes {
                try await Self.replace(change, on: connection)
            }
            var checkpoint = PostgresBindings()
            checkpoint.append(Int64(to))
            checkpoint.append(recordedAtMicros)
            checkpoint.append(view)
            try await connection.execute("UPDATE projection_checkpoint SET position = $1, recorded_at_micros = $2 WHERE view = $3", checkpoint)
            try await connection.execute("COMMIT")
            return true
        }
        if sent {
            let rows = changes.reduce(0) { $0 + $1.rows.rows }
            state.withLock {
                $0.rowsWritten += rows
                $0.batchesWritten += 1
            }
        }
    }

    /// Deletes the touched keys' rows and copies in their rows after the batch (a key whose row was
    /// deleted has none).
    static func replace(_ change: ChangeCapture.TableChange, on connection: PostgresConnection) async throws {
        var binds = PostgresBindings()
        var arrays: [String] = []
        for (index, column) in change.keys.enumerated() {
            switch column {
            case .text(let values):
                binds.append(values)
                arrays.append("$\(index + 1)::text[]")
            case .integer(let values):
                binds.append(values)
                arrays.append("$\(index + 1)::bigint[]")
            }
        }
        let keys = change.table.primaryKey.map(quoted).joined(separator: ", ")
        try await connection.execute(
            "DELETE FROM \(quoted(change.table.name)) WHERE (\(keys)) IN (SELECT * FROM unnest(\(arrays.joined(separator: ", "))))", binds)
        if change.rows.rows > 0 {
            try await connection.copy(into: change.table.name, columns: change.table.columns.map(\.name), data: change.rows.buffer)
        }
    }
}
