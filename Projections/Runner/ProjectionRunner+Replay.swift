public import EventLog
import Foundation
import GRDB
import PosixFiles

/// The `replay_info` table of an as-of replay file: what moment it shows.
enum ReplayInfoTable {
    static let name = "replay_info"

    static let schema = """
        CREATE TABLE replay_info (
            as_of_kind TEXT NOT NULL,          -- 'position' or 'time'
            as_of_value INTEGER NOT NULL,      -- the position, or microseconds since the epoch
            position INTEGER NOT NULL,         -- the last event applied
            recorded_at_micros INTEGER NOT NULL,
            log_head_position INTEGER NOT NULL,
            created_at_micros INTEGER NOT NULL
        )
        """
}

extension ProjectionRunner {
    /// Builds the views as they were at a moment into one separate SQLite file (every view's tables,
    /// one `projection_checkpoint` row per view, and a `replay_info` row), without touching the live
    /// views. The file is written as `<output>.partial` and renamed to `output` when complete. An output
    /// that resolves (links followed) to the store's own files (`views/`, `log/`, `index/`, `state/`,
    /// `store.id`, `lock`) is refused.
    @discardableResult
    public func replay(_ store: any EventStoreReader, asOf point: ReplayPoint, output: String,
                       views: [String]? = nil, overwrite: Bool = false) throws(ProjectionError) -> ReplayReport {
        let selected = try select(views)
        try checkReplayOutput(output, overwrite: overwrite)
        let partial = output + ".partial"
        try FileSystem.removeDatabase(partial)
        var filter = EventFilter.all
        switch point {
        case .position(let position): filter.untilPosition = position
        case .time(let micros): filter.untilMicros = micros
        }
        let head = try guarded(view: nil) { try store.head().position }
        if case .position(let position) = point, position > head { throw .replayBeyondHead(position: position, head: head) }
        let file = try guarded(view: nil, path: partial) { try ViewFile(path: partial, mode: .bulk, busyTimeout: options.busyTimeout) }
        var closed = false
        var complete = false
        defer {
            if !closed { try? file.close() }
            // A replay that failed leaves no partial file behind (on a full disk it would hold the space).
            if !complete { try? FileSystem.removeDatabase(partial) }
        }
        try guarded(view: nil, path: partial) {
            try file.queue.inDatabase { db in
                try db.inTransaction {
                    for projection in selected {
                        for statement in projection.schema { try db.execute(sql: statement) }
                        try CheckpointTable.create(db, view: projection.name, schemaVersion: projection.schemaVersion)
                    }
                    return .commit
                }
            }
        }
        let targets = selected.map { ProjectionTarget(projection: $0, file: file) }
        var replayEngine = engine(phase: .replay)
        replayEngine.parallel = false  // one file: its transactions cannot run side by side
        let eventsRead = try guarded(view: nil, path: partial) { try replayEngine.run(store: store, targets: targets, filter: filter) }
        file.startWritebackInBackground()

        let (position, micros, fingerprints) = try guarded(view: nil, path: partial) {
            try file.queue.inDatabase { db in
                var position: UInt64 = 0
                var micros: Int64 = 0
                var fingerprints: [String: String] = [:]
                for projection in selected {
                    for statement in projection.queryIndexes { try db.execute(sql: statement) }
                    guard let checkpoint = try CheckpointTable.read(db, view: projection.name) else { continue }
                    let fingerprint = try ViewFingerprint.compute(db, tables: projection.tables)
                    try CheckpointTable.storeFingerprint(db, view: projection.name, fingerprint: fingerprint,
                                                         position: checkpoint.position)
                    fingerprints[projection.name] = fingerprint
                    if checkpoint.position >= position {
                        position = checkpoint.position
                        micros = checkpoint.recordedAtMicros
                    }
                }
                let (kind, value): (String, Int64) = switch point {
                case .position(let position): ("position", Int64(clamping: position))
                case .time(let micros): ("time", micros)
                }
                try db.execute(sql: ReplayInfoTable.schema)
                try db.execute(
                    sql: "INSERT INTO replay_info VALUES (?, ?, ?, ?, ?, ?)",
                    arguments: [kind, value, Int64(position), micros, Int64(head), WallClock.nowMicros()])
                return (position, micros, fingerprints)
            }
        }
        try guarded(view: nil, path: partial) { try file.finishBulkAndClose() }
        closed = true
        try FileSystem.remove(output + "-journal")
        try FileSystem.rename(partial, over: output)
        complete = true
        return ReplayReport(output: output, asOf: point, position: position, recordedAtMicros: micros,
                            fingerprints: fingerprints, eventsRead: eventsRead)
    }

    /// The checkpoints (with fingerprints) recorded in a replay file.
    public static func checkpoints(inReplay path: String) throws(ProjectionError) -> [ViewCheckpoint] {
        do {
            let file = try ViewFile(path: path, mode: .readOnly, busyTimeout: 1)
            defer { try? file.close() }
            return try file.queue.read { db in
                let views = try String.fetchAll(db, sql: "SELECT view FROM projection_checkpoint ORDER BY view")
                return try views.compactMap { try CheckpointTable.read(db, view: $0) }
            }
        } catch {
            throw .database(view: "replay", path: path, cause: StorageFailure(error, operation: "reading", path: path))
        }
    }

    /// What a store directory holds beside replay outputs a program may choose to keep there.
    static let storeEntries = ["views", "log", "index", "state", "store.id", "lock"]

    private func checkReplayOutput(_ output: String, overwrite: Bool) throws(ProjectionError) {
        // The store's own files (the log, its index, the decision state, the live views, its id and its
        // lock) would be replaced or removed: refuse any output that leads to one, through links or `..`.
        // (The CLI refuses the whole store directory.)
        let store = ResolvedPath.resolve(storeDirectory)
        let resolved = ResolvedPath.resolve(output)
        if let entry = Self.storeEntries.first(where: { ResolvedPath.isInside(resolved, directory: store + "/" + $0) }) {
            throw .replayOutputRefused(path: output, reason: "it is inside the store \(store) (its \(entry)); choose a path outside it")
        }
        if FileSystem.exists(output) {
            guard overwrite else {
                throw .replayOutputRefused(path: output, reason: "the file exists; remove it or ask to overwrite it")
            }
            try FileSystem.removeDatabase(output)
        }
    }
}

extension ProjectionRunner {
    /// A view's checkpoint and the fingerprint of its rows as they are now, read from any file that
    /// holds it (a live view, a rebuild, a replay) without changing the file. Compare it with a
    /// rebuild's or a replay's at the same position to check that projectors are deterministic.
    public static func fingerprint(ofFile path: String, projection: any Projection) throws(ProjectionError) -> (ViewCheckpoint, String)? {
        do {
            guard FileSystem.exists(path) else { return nil }
            // Opened for writing when possible: if a writer was killed mid-transaction, SQLite must roll
            // its journal back before the file can be read (the rows themselves are not changed).
            let mode: ViewFile.Mode = access(path, W_OK) == 0 ? .live : .readOnly
            let file = try ViewFile(path: path, mode: mode, busyTimeout: 10)
            defer { try? file.close() }
            return try file.queue.read { db in
                guard let checkpoint = try CheckpointTable.read(db, view: projection.name) else { return nil }
                return (checkpoint, try ViewFingerprint.compute(db, tables: projection.tables))
            }
        } catch let error as ProjectionError {
            throw error
        } catch {
            throw .database(view: projection.name, path: path, cause: StorageFailure(error, operation: "reading", path: path))
        }
    }
}
