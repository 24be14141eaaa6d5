public import EventLog
import Foundation
import Synchronization
import GRDB
import PosixFiles

extension ProjectionRunner {
    /// Proves that each live view (all by default) is what the log gives: re-projects the log up to
    /// the view's own checkpoint into a temporary file, with the rebuild's machinery, and compares
    /// fingerprints and checkpoint rows. A view changed outside Teamlog (a row updated, deleted or
    /// inserted with `sqlite3`, its checkpoint row edited) differs; a view whose checkpoint is above
    /// the log's head is ahead of it.
    ///
    /// The live files are not changed (a writer killed mid-transaction may have its journal rolled
    /// back, as any reader does). The temporary files are written in `views/verify-<pid>.tmp/` (no
    /// live view's file can have that name) and removed afterwards, even on error. Views at the same
    /// checkpoint are re-projected together, reading the log once; memory is bounded by the batch.
    public func verifyViews(_ store: any EventStoreReader, views: [String]? = nil) throws(ProjectionError) -> ViewsVerificationReport {
        let started = Date()
        let head = try guarded(view: nil) { try store.head().position }
        var results: [String: ViewVerification] = [:]
        var toReproject: [UInt64: [(projection: any Projection, live: ViewCheckpoint, fingerprint: String)]] = [:]
        let selected = try select(views)
        // The live side first: each view's checkpoint and rows, read in one transaction.
        for projection in selected {
            let name = projection.name
            guard let (checkpoint, fingerprint) = try liveSide(projection) else {
                results[name] = FileSystem.exists(path(ofView: name))
                    ? ViewVerification(view: name, verdict: .differs, differences: [.checkpointMissing], checkpoint: 0)
                    : ViewVerification(view: name, verdict: .notChecked(
                        "no file yet: the next query or `teamlog rebuild \(name)` builds it from the log"), differences: [], checkpoint: 0)
                continue
            }
            var result = ViewVerification(view: name, verdict: .matches, differences: [], checkpoint: checkpoint.position,
                                          viewFingerprint: fingerprint, storedFingerprint: checkpoint.currentFingerprint)
            if checkpoint.schemaVersion != projection.schemaVersion {
                result.verdict = .notChecked("built by schema version \(checkpoint.schemaVersion), the code's is \(projection.schemaVersion): "
                                             + "the next query or `teamlog rebuild \(name)` rebuilds it")
            } else if checkpoint.position > head {
                result.verdict = .aheadOfLog
            } else {
                toReproject[checkpoint.position, default: []].append((projection, checkpoint, fingerprint))
            }
            results[name] = result
        }
        // The log's side: one pass over the log per distinct checkpoint.
        var eventsRead: UInt64 = 0
        if !toReproject.isEmpty {
            let directory = try VerifyDirectory(viewsDirectory: viewsDirectory)
            defer { directory.remove() }
            for (position, group) in toReproject.sorted(by: { $0.key < $1.key }) {
                let (read, reprojected) = try reproject(store, group.map(\.projection), upTo: position, in: directory)
                eventsRead += read
                let atCommitEnd = try isCommitEnd(store, position, head: head)
                for item in group {
                    let name = item.projection.name
                    guard var result = results[name], let log = reprojected[name] else { continue }
                    result.logFingerprint = log.fingerprint
                    result.differences = Self.differences(live: item.live, liveFingerprint: item.fingerprint,
                                                          log: log.checkpoint, logFingerprint: log.fingerprint)
                    if !atCommitEnd { result.differences.append(.checkpointInsideCommit) }
                    if !result.differences.isEmpty { result.verdict = .differs }
                    results[name] = result
                }
            }
        }
        return ViewsVerificationReport(logHead: head, views: selected.compactMap { results[$0.name] },
                                       eventsRead: eventsRead, seconds: Date().timeIntervalSince(started))
    }

    /// The live view's checkpoint and the fingerprint of its rows (nil when it has no file or no checkpoint row).
    private func liveSide(_ projection: any Projection) throws(ProjectionError) -> (ViewCheckpoint, String)? {
        let path = path(ofView: projection.name)
        do {
            return try Self.fingerprint(ofFile: path, projection: projection)
        } catch {
            throw ProjectionError.storage(error, path: path) ?? error
        }
    }

    /// Builds the views from the log's events up to `position` into fresh files of `directory` and
    /// returns each one's checkpoint and fingerprint; the files are removed before returning.
    private func reproject(_ store: any EventStoreReader, _ projections: [any Projection], upTo position: UInt64,
                           in directory: VerifyDirectory) throws(ProjectionError)
        -> (eventsRead: UInt64, views: [String: (checkpoint: ViewCheckpoint, fingerprint: String)]) {
        let targets = try makeBulkTargets(projections) { directory.file(forView: $0) }
        defer { Self.discard(targets) }
        let eventsRead = try guarded(view: nil, path: directory.path) {
            try engine(phase: .verify).run(store: store, targets: targets, filter: EventFilter(untilPosition: position))
        }
        let results = Mutex<[String: (checkpoint: ViewCheckpoint, fingerprint: String)]>([:])
        try guarded(view: nil, path: directory.path) {
            try CatchUpEngine.forEachConcurrently(targets) { target in
                let name = target.projection.name
                do {
                    let result = try target.file.queue.read { db in
                        guard let checkpoint = try CheckpointTable.read(db, view: name) else {
                            throw ProjectionError.database(view: name, path: target.file.path,
                                                           cause: .damaged("the re-projected file lost its checkpoint row", operation: "reading"))
                        }
                        return (checkpoint, try ViewFingerprint.compute(db, tables: target.projection.tables))
                    }
                    results.withLock { $0[name] = result }
                } catch {
                    throw ProjectionError.storage(error, path: target.file.path) ?? error
                }
            }
        }
        return (eventsRead, results.withLock { $0 })
    }

    /// Whether `position` ends a commit: views only ever stop there (they apply whole commits).
    private func isCommitEnd(_ store: any EventStoreReader, _ position: UInt64, head: UInt64) throws(ProjectionError) -> Bool {
        guard position > 0, position < head else { return true }
        return try guarded(view: nil) {
            let cursor = try store.events(from: position + 1, filter: EventFilter(untilPosition: position + 1))
            guard let next = try cursor.next() else { return true }
            return next.commitPosition == next.position
        }
    }

    /// How a live view differs from the log's re-projection at its checkpoint.
    static func differences(live: ViewCheckpoint, liveFingerprint: String,
                            log: ViewCheckpoint, logFingerprint: String) -> [ViewVerification.Difference] {
        var differences: [ViewVerification.Difference] = []
        if liveFingerprint != logFingerprint { differences.append(.rows) }
        if live.position != log.position { differences.append(.checkpointPosition) }
        if live.recordedAtMicros != log.recordedAtMicros { differences.append(.checkpointTime) }
        if let stored = live.currentFingerprint, stored != liveFingerprint { differences.append(.storedFingerprint) }
        return differences
    }
}

/// The directory a verification re-projects views into: `views/verify-<pid>.tmp/` (a live view's file
/// is `views/<name>.sqlite`, so none can have this name). Left-overs of verifications that were killed
/// (their process is gone) are removed when the next one starts.
struct VerifyDirectory {
    let path: String

    init(viewsDirectory: String) throws(ProjectionError) {
        Self.removeAbandoned(in: viewsDirectory)
        path = (viewsDirectory as NSString).appendingPathComponent("verify-\(getpid()).tmp")
        remove()
        try FileSystem.makeDirectory(path)
    }

    func file(forView name: String) -> String {
        (path as NSString).appendingPathComponent("\(name).sqlite")
    }

    /// Removes the directory and everything in it (best effort: nothing else is ever written there).
    func remove() {
        Self.remove(path)
    }

    private static func remove(_ directory: String) {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for entry in entries { unlink((directory as NSString).appendingPathComponent(entry)) }
        rmdir(directory)
    }

    /// Removes `verify-<pid>.tmp` directories whose process no longer exists.
    private static func removeAbandoned(in viewsDirectory: String) {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: viewsDirectory)) ?? []
        for entry in entries where entry.hasPrefix("verify-") && entry.hasSuffix(".tmp") {
            guard let pid = Int32(entry.dropFirst("verify-".count).dropLast(".tmp".count)), pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH {
                remove((viewsDirectory as NSString).appendingPathComponent(entry))
            }
        }
    }
}
