public import EventLog
import Foundation
import GRDB
import PosixFiles
import Synchronization
import PosixFiles

extension ProjectionRunner {
    /// Rebuilds views (all by default) from the whole log, reading it once for all of them. Each is
    /// written into `<name>.rebuilding.sqlite` while the live file keeps answering queries, then
    /// renamed over it. Interrupted, it leaves the live file serving, and can simply be run again.
    @discardableResult
    public func rebuild(_ store: any EventStoreReader, views: [String]? = nil) throws(ProjectionError) -> RebuildReport {
        try rebuild(store, projections: try select(views), reasons: [:])
    }

    /// One view to rebuild: why, and the schema version its live file has (nil: none).
    private typealias RebuildWork = (projection: any Projection, reason: RebuildReport.Reason, from: Int?)

    func rebuild(_ store: any EventStoreReader, projections selected: [any Projection],
                 reasons: [String: RebuildReport.Reason]) throws(ProjectionError) -> RebuildReport {
        let started = Date()
        var locks: [FileLock] = []
        defer { locks.forEach { $0.unlock() } }
        let work = try lockViewsToRebuild(selected, reasons: reasons, locks: &locks)
        guard !work.isEmpty else { return RebuildReport(views: [], eventsRead: 0, seconds: 0) }

        let targets = try makeBulkTargets(work.map(\.projection)) { rebuildingPath(ofView: $0) }
        var swappedIn = false
        // A rebuild that failed leaves no partial file behind (on a full disk it would hold the space).
        defer { if !swappedIn { Self.discard(targets) } }
        let eventsRead = try guarded(view: nil) {
            try engine(phase: .rebuild).run(store: store, targets: targets)
        }
        let finished = try finishRebuiltFiles(targets)
        let rebuilt = try swapRebuiltFilesIn(work, finished: finished)
        swappedIn = true
        return RebuildReport(views: rebuilt, eventsRead: eventsRead, seconds: Date().timeIntervalSince(started))
    }

    /// Takes each selected view's rebuild lock, in name order (so two processes rebuilding overlapping
    /// sets cannot deadlock), and returns the views still to rebuild: one that was to be rebuilt for its
    /// schema may have been rebuilt by another process while this one waited for the lock.
    private func lockViewsToRebuild(_ selected: [any Projection], reasons: [String: RebuildReport.Reason],
                                    locks: inout [FileLock]) throws(ProjectionError) -> [RebuildWork] {
        var work: [RebuildWork] = []
        for projection in selected.sorted(by: { $0.name < $1.name }) {
            let lockPath = lockPath(ofView: projection.name)
            guard let lock = try FileLock(path: lockPath, timeout: options.busyTimeout) else {
                throw .rebuildBusy(view: projection.name, lockFile: lockPath)
            }
            locks.append(lock)
            let reason = reasons[projection.name] ?? .requested
            let stored: Int?
            do {
                stored = try storedSchemaVersion(projection)
            } catch let error where error.storageFailure?.cause.isDamaged == true {
                // A damaged live file (not a database any more) has no schema version: the rebuild replaces it.
                stored = nil
            }
            if reason != .requested, let stored, stored == projection.schemaVersion {
                pendingRebuilds[projection.name] = nil
                continue
            }
            work.append((projection, reason, stored))
        }
        return work
    }

    /// Finishes each rebuilt file in parallel (query indexes, fingerprint, durable rollback-journal
    /// file), largest first so that the longest job does not start last. The rows loaded so far go to
    /// disk meanwhile, and each file's fsync runs in the background while the next one is finished;
    /// returns once every file is on disk, with each view's checkpoint and fingerprint.
    private func finishRebuiltFiles(_ targets: [ProjectionTarget]) throws(ProjectionError) -> [String: (position: UInt64, fingerprint: String)] {
        for target in targets { target.file.startWritebackInBackground() }
        let finished = Mutex<[String: (position: UInt64, fingerprint: String)]>([:])
        let syncs = BackgroundSyncs()
        let largestFirst = targets.map { ($0, FileSystem.size($0.file.path)) }.sorted { $0.1 > $1.1 }.map(\.0)
        try guarded(view: nil) {
            try CatchUpEngine.forEachConcurrently(largestFirst) { target in
                let result = try Self.finishRebuilt(target, syncs: syncs)
                finished.withLock { $0[target.projection.name] = result }
            }
        }
        // Every rebuilt file is on disk before any is swapped in.
        try syncs.wait()
        return finished.withLock { $0 }
    }

    /// Renames each finished file over its live one, in the order of `work`.
    private func swapRebuiltFilesIn(_ work: [RebuildWork], finished: [String: (position: UInt64, fingerprint: String)])
        throws(ProjectionError) -> [RebuildReport.ViewRebuild] {
        var rebuilt: [RebuildReport.ViewRebuild] = []
        for item in work {
            let name = item.projection.name
            guard let result = finished[name] else { continue }
            try swapIntoPlace(view: name, rebuilt: rebuildingPath(ofView: name))
            pendingRebuilds[name] = nil
            rebuilt.append(RebuildReport.ViewRebuild(
                view: name, reason: item.reason, fromSchemaVersion: item.from,
                toSchemaVersion: item.projection.schemaVersion, position: result.position, fingerprint: result.fingerprint))
        }
        return rebuilt
    }

    /// Creates a rebuilt file's query indexes, computes and stores its fingerprint, and makes it an
    /// ordinary durable file (its fsync started in `syncs`). Returns its checkpoint and fingerprint.
    private static func finishRebuilt(_ target: ProjectionTarget, syncs: BackgroundSyncs) throws -> (position: UInt64, fingerprint: String) {
        let projection = target.projection
        do {
            let result = try target.file.queue.inDatabase { db in
                guard let checkpoint = try CheckpointTable.read(db, view: projection.name) else {
                    throw ProjectionError.database(view: projection.name, path: target.file.path,
                                                   cause: .damaged("the rebuilt file lost its checkpoint row", operation: "reading"))
                }
                for statement in projection.queryIndexes { try db.execute(sql: statement) }
                let fingerprint = try ViewFingerprint.compute(db, tables: projection.tables)
                try CheckpointTable.storeFingerprint(db, view: projection.name, fingerprint: fingerprint,
                                                     position: checkpoint.position)
                return (checkpoint.position, fingerprint)
            }
            try target.file.finishBulkAndClose(syncs: syncs)
            return result
        } catch {
            throw ProjectionError.storage(error, path: target.file.path) ?? error
        }
    }

    /// A new, empty bulk file at `path` (any file there before is discarded) holding the projection's
    /// tables and its checkpoint row at position 0, for the engine to fill: a rebuild's, a verification's.
    func makeBulkTarget(_ projection: any Projection, at path: String) throws(ProjectionError) -> ProjectionTarget {
        try FileSystem.removeDatabase(path)
        do {
            let file = try ViewFile(path: path, mode: .bulk, busyTimeout: options.busyTimeout)
            do {
                try file.queue.inDatabase { db in
                    try db.inTransaction {
                        for statement in projection.schema { try db.execute(sql: statement) }
                        try CheckpointTable.create(db, view: projection.name, schemaVersion: projection.schemaVersion)
                        return .commit
                    }
                }
            } catch {
                try? file.close()
                throw error
            }
            return ProjectionTarget(projection: projection, file: file)
        } catch {
            try? FileSystem.removeDatabase(path)
            throw ProjectionError.storage(error, path: path)
                ?? .database(view: projection.name, path: path, cause: StorageFailure(error, operation: "creating", path: path))
        }
    }

    /// A bulk target (`makeBulkTarget`) for each projection, at the path `path` gives for its name; when
    /// one cannot be made, those made before it are discarded.
    func makeBulkTargets(_ projections: [any Projection],
                         at path: (String) -> String) throws(ProjectionError) -> [ProjectionTarget] {
        var targets: [ProjectionTarget] = []
        do throws(ProjectionError) {
            for projection in projections {
                targets.append(try makeBulkTarget(projection, at: path(projection.name)))
            }
        } catch {
            Self.discard(targets)
            throw error
        }
        return targets
    }

    /// Closes bulk targets and removes their files: a failed rebuild's, a finished verification's.
    static func discard(_ targets: [ProjectionTarget]) {
        for target in targets {
            try? target.file.close()
            try? FileSystem.removeDatabase(target.file.path)
        }
    }

    /// Renames a complete rebuilt file over the live one. Holding the live file's exclusive lock
    /// during the rename guarantees that no writer is mid-transaction (and that no hot journal of the
    /// old file is left to be mistaken for the new file's); readers that still have the old file open
    /// keep reading it until they close it.
    func swapIntoPlace(view name: String, rebuilt: String) throws(ProjectionError) {
        let livePath = path(ofView: name)
        if let file = liveFiles.removeValue(forKey: name) { try? file.close() }
        guard FileSystem.exists(livePath) else {
            try FileSystem.rename(rebuilt, over: livePath)
            return
        }
        let old: ViewFile
        do {
            old = try ViewFile(path: livePath, mode: .live, busyTimeout: options.busyTimeout)
        } catch {
            // The old file cannot even be opened: nothing of it is worth keeping.
            try FileSystem.removeDatabase(livePath)
            try FileSystem.rename(rebuilt, over: livePath)
            return
        }
        defer { try? old.close() }
        var renameError: ProjectionError?
        do {
            try old.queue.inDatabase { db in
                try db.execute(sql: "BEGIN EXCLUSIVE")
                do throws(ProjectionError) {
                    try FileSystem.rename(rebuilt, over: livePath)
                } catch {
                    renameError = error
                }
                try db.execute(sql: "ROLLBACK")
            }
        } catch where ProjectionError.isBusy(error) {
            // Another process reads or writes the live file (no other rebuild: this one holds the rebuild lock).
            throw .viewBusy(view: name, path: livePath, seconds: options.busyTimeout)
        } catch {
            // A damaged old file: replace it all the same.
            if renameError == nil, FileSystem.exists(rebuilt) {
                try FileSystem.remove(livePath + "-journal")
                try FileSystem.rename(rebuilt, over: livePath)
            }
        }
        if let renameError { throw renameError }
    }

    func storedSchemaVersion(_ projection: any Projection) throws(ProjectionError) -> Int? {
        let path = path(ofView: projection.name)
        guard FileSystem.exists(path) else { return nil }
        return try guarded(view: projection.name) {
            let file = try ViewFile(path: path, mode: .live, busyTimeout: options.busyTimeout)
            defer { try? file.close() }
            return try file.queue.read { db in try CheckpointTable.read(db, view: projection.name)?.schemaVersion }
        }
    }
}
