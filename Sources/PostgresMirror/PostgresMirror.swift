public import EventLog
import Foundation
import GRDB
public import PosixFiles
import PostgresNIO
public import Projections

/// The store's read models and log, mirrored into a PostgreSQL database. The log on the writer stays
/// the only source of truth: everything in PostgreSQL is derived and can be copied anew from the log.
///
/// Each view has a shadow: a SQLite copy kept by the same projection code under
/// `<store>/postgres/<mirror id>/views/`. Catching the shadow up writes each batch to PostgreSQL in the
/// same step (`MirrorHook`: PostgreSQL commits first, the shadow after). A view PostgreSQL does not
/// have at this schema version, or has at a checkpoint the shadow cannot continue from, is copied
/// whole and swapped in (`ViewCopy`). The log itself goes into `teamlog.events` (`EventsMirror`).
///
/// One process writes a mirror at a time (`<shadow>/sync.lock`). Its properties never change after
/// `init`, and the projections it holds are stateless declarations, so it may be handed to the thread
/// that syncs (one sync at a time: the lock refuses a second).
public final class PostgresMirror: @unchecked Sendable {
    public let storeDirectory: String
    public let pool: PostgresPool
    public let projections: [any Projection]
    let log: any EventStoreReader

    public init(storeDirectory: String, log: any EventStoreReader, pool: PostgresPool,
                projections: [any Projection] = ReadModels.all) {
        self.storeDirectory = storeDirectory
        self.log = log
        self.pool = pool
        self.projections = projections
    }

    /// Where the shadows of the mirror `mirrorId` are.
    public func shadowDirectory(mirrorId: String) -> String {
        ((storeDirectory as NSString).appendingPathComponent("postgres") as NSString).appendingPathComponent(mirrorId)
    }

    /// What one sync did.
    public struct SyncReport: Sendable {
        public var head: UInt64
        public var eventsCopied: UInt64
        /// Views copied whole (first sync, new schema version, or a shadow that could not go on).
        public var viewsCopied: [String: Int]
        /// Batches and rows written incrementally.
        public var batches: Int
        public var rows: Int
        public var checkpoints: [String: UInt64]
        public var seconds: Double
    }

    /// Catches PostgreSQL up to the log's head once: the events, then every view. When PostgreSQL is
    /// unreachable or restarts, waits and tries again with a growing delay (0.1 s to 5 s) for at most
    /// `retryFor` seconds; `onRetry` hears of each retry. `recopy` drops the shadows first, so that every
    /// view is projected anew from the log and copied whole (what to do when a view in PostgreSQL no longer
    /// equals the log).
    public func sync(recopy: Bool = false, retryFor: Double = 0,
                     onRetry: ((MirrorError, Double) -> Void)? = nil) throws(MirrorError) -> SyncReport {
        let started = Date()
        var delay = 0.1
        var recopy = recopy
        var repaired = false
        while true {
            do {
                defer { recopy = false }
                var report = try syncOnce(recopy: recopy)
                report.seconds = Date().timeIntervalSince(started)
                return report
            } catch where Self.isShadowUntrustworthy(error) && !repaired {
                // The shadows are the mirror's own derived files: a damaged one (or one of another store,
                // or ahead of the log) is dropped and every view copied anew from the log, once.
                repaired = true
                recopy = true
            } catch where error.isTransient && Date().timeIntervalSince(started) + delay <= retryFor {
                onRetry?(error, delay)
                pool.close()
                Thread.sleep(forTimeInterval: delay)
                delay = min(delay * 2, 5)
            }
        }
    }

    private func syncOnce(recopy: Bool) throws(MirrorError) -> SyncReport {
        let identity = try MirrorCatalog.prepare(pool, storeId: log.storeId.description)
        let directory = shadowDirectory(mirrorId: identity.mirrorId)
        let lock = try Self.lock(directory)
        defer { lock.close() }
        if recopy { try Self.removeShadows(directory) }
        let head: UInt64
        do throws(EventLogError) { head = try log.head().position } catch { throw .log(error) }
        let eventsCopied = try EventsMirror(pool: pool).sync(log, until: head)

        let hook = MirrorHook(pool: pool)
        let runner: ProjectionRunner
        do throws(ProjectionError) {
            runner = try ProjectionRunner(storeDirectory: directory, projections: projections,
                                          options: ProjectionRunnerOptions(commitHook: hook))
        } catch { throw .projection(error) }
        defer { runner.close() }

        var copiedViews: [String: Int] = [:]
        var toCopy = try viewsToCopy(runner)
        // A view whose incremental step finds PostgreSQL diverged is copied whole, once.
        var retried = false
        while true {
            if !toCopy.isEmpty {
                hook.disable(toCopy)
                try catchUp(runner, views: toCopy, hook: hook, until: head)
                for name in toCopy {
                    guard let projection = projections.first(where: { $0.name == name }) else { continue }
                    let copy = ViewCopy(pool: pool)
                    do {
                        copiedViews[name] = try runner.read(view: name) { db in try copy.copy(projection, from: db).rows }
                    } catch {
                        throw Self.mirrorError(error, endpoint: pool.endpoint)
                    }
                }
            }
            hook.enable(projections.map(\.name))
            do {
                try catchUp(runner, views: projections.map(\.name), hook: hook, until: head)
                break
            } catch let MirrorError.diverged(view, _, _) where !retried {
                retried = true
                toCopy = [view]
            }
        }
        var checkpoints: [String: UInt64] = [:]
        do throws(ProjectionError) {
            for status in try runner.status(nil, fingerprints: false) { checkpoints[status.name] = status.checkpoint }
        } catch { throw .projection(error) }
        let written = hook.written
        return SyncReport(head: head, eventsCopied: eventsCopied, viewsCopied: copiedViews, batches: written.batches,
                          rows: written.rows, checkpoints: checkpoints, seconds: 0)
    }

    /// Catches the shadows up, turning a hook's failure back into the typed `MirrorError` it was.
    private func catchUp(_ runner: ProjectionRunner, views: [String], hook: MirrorHook, until head: UInt64) throws(MirrorError) {
        do throws(ProjectionError) {
            try runner.catchUp(log, views: views, until: head)
            _ = hook.takeFailures()
        } catch {
            let failures = hook.takeFailures()
            if let diverged = failures.values.first(where: { if case .diverged = $0 { true } else { false } }) { throw diverged }
            if let failure = failures.sorted(by: { $0.key < $1.key }).first?.value { throw failure }
            throw .projection(error)
        }
    }

    /// The views PostgreSQL must get whole: those it has not at this schema version, those whose
    /// shadow is missing (or of another version), and those whose shadow is ahead of PostgreSQL (it
    /// lost a commit: restored from a backup, say).
    private func viewsToCopy(_ runner: ProjectionRunner) throws(MirrorError) -> [String] {
        let entries = try pool.withConnection { connection in try await MirrorCatalog.views(on: connection) }
        let statuses: [ViewStatus]
        do throws(ProjectionError) { statuses = try runner.status(nil, fingerprints: false) } catch { throw .projection(error) }
        return projections.compactMap { projection -> String? in
            let name = projection.name
            guard let entry = entries[name], entry.schemaVersion == projection.schemaVersion,
                  let status = statuses.first(where: { $0.name == name }), !status.needsRebuild,
                  status.storedSchemaVersion == projection.schemaVersion, status.checkpoint <= entry.position else {
                return name
            }
            return nil
        }
    }

    static func lock(_ directory: String) throws(MirrorError) -> PosixFile<MirrorError> {
        let postgres = (directory as NSString).deletingLastPathComponent
        for path in [(postgres as NSString).deletingLastPathComponent, postgres, directory] {
            try PosixFile<MirrorError>.makeDirectory(path)
        }
        let path = (directory as NSString).appendingPathComponent("sync.lock")
        let file = try PosixFile<MirrorError>.open(path, flags: O_RDWR | O_CREAT)
        guard try file.lockExclusively(timeout: 2) else { throw .busy(path: path) }
        return file
    }

    /// Whether `error` says a shadow view cannot be continued from (the shadows are derived: copying anew repairs it).
    static func isShadowUntrustworthy(_ error: MirrorError) -> Bool {
        guard case .projection(let failure) = error else { return false }
        switch failure {
        case .database(_, _, let cause): return cause.isDamaged
        case .viewOfAnotherStore, .viewAheadOfLog: return true
        default: return false
        }
    }

    /// Removes the shadow views (the sync lock stays, held by the caller).
    static func removeShadows(_ directory: String) throws(MirrorError) {
        let views = (directory as NSString).appendingPathComponent("views")
        guard FileManager.default.fileExists(atPath: views) else { return }
        do { try FileManager.default.removeItem(atPath: views) } catch {
            throw .storage(path: views, reason: "the shadow views could not be removed: \(error)")
        }
    }

    static func mirrorError(_ error: any Error, endpoint: PostgresEndpoint) -> MirrorError {
        if let error = error as? MirrorError { return error }
        if let error = error as? ProjectionError { return .projection(error) }
        if let error = error as? EventLogError { return .log(error) }
        return .postgres(error, endpoint: endpoint)
    }
}

extension MirrorError: FileFailure {
    public static func io(operation: String, path: String, errno: Int32) -> MirrorError {
        .storage(path: path, reason: "\(operation) failed: \(String(cString: strerror(errno)))")
    }
}
