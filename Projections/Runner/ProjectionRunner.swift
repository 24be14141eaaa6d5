import CSQLiteSupport
public import EventLog
import Foundation
public import GRDB
import PosixFiles

/// Opens the read models of a store directory and keeps them in step with its log.
///
/// Layout: `<store>/views/<name>.sqlite`, one plain SQLite file per view (rollback journal, so the
/// stock `sqlite3` tool can read it any time). A rebuild writes `<name>.rebuilding.sqlite` and renames
/// it over the live file when complete; `<name>.rebuild.lock` keeps two processes from rebuilding the
/// same view at once.
///
/// Not thread-safe: use one runner per thread (it runs its own worker threads inside a call).
public final class ProjectionRunner {
    public let storeDirectory: String
    public let viewsDirectory: String
    public let projections: [any Projection]
    public let options: ProjectionRunnerOptions

    /// Views that the next `catchUp` rebuilds before catching up, found when the runner was opened:
    /// their file is missing, or was built by another schema version.
    public internal(set) var pendingRebuilds: [String: RebuildReport.Reason] = [:]
    var liveFiles: [String: ViewFile] = [:]

    public init(storeDirectory: String, projections: [any Projection] = ReadModels.all,
                options: ProjectionRunnerOptions = ProjectionRunnerOptions()) throws(ProjectionError) {
        self.storeDirectory = storeDirectory
        self.viewsDirectory = (storeDirectory as NSString).appendingPathComponent("views")
        self.projections = projections
        self.options = options
        _ = Self.sqliteTuned
        try Self.checkNames(projections)
        try FileSystem.makeDirectory(storeDirectory)
        try FileSystem.makeDirectory(viewsDirectory)
        for projection in projections {
            try detectRebuild(projection)
        }
    }

    /// Views are applied on several threads at once: SQLite's memory statistics, which serialize every
    /// allocation on one process-wide mutex, are turned off before SQLite's first use in the process
    /// (where it was used before, this changes nothing). A runner does it when it is made; a program
    /// that opens other SQLite files first (the decision state) calls this at its start.
    public static func prepareSQLiteForParallelViews() { _ = sqliteTuned }

    private static let sqliteTuned: Int32 = teamlog_sqlite_disable_memory_statistics()

    public var viewNames: [String] { projections.map(\.name) }

    /// The live file of a view.
    public func path(ofView name: String) -> String {
        (viewsDirectory as NSString).appendingPathComponent("\(name).sqlite")
    }

    func rebuildingPath(ofView name: String) -> String {
        (viewsDirectory as NSString).appendingPathComponent("\(name).rebuilding.sqlite")
    }

    func lockPath(ofView name: String) -> String {
        (viewsDirectory as NSString).appendingPathComponent("\(name).rebuild.lock")
    }

    /// Brings views (all by default) up to the log's head, or to `position` when given (no further):
    /// first rebuilds those whose file is missing or was built by another schema version (once, to the
    /// head), then applies the new events to the others.
    @discardableResult
    public func catchUp(_ store: any EventStoreReader, views: [String]? = nil,
                        until position: UInt64? = nil) throws(ProjectionError) -> CatchUpReport {
        do {
            return try catchUpOnce(store, views: views, until: position)
        } catch {
            // Another process's rebuild renamed a new file over a view this runner had open: open the
            // new file and catch it up instead (once; a second swap in a row is reported as it is).
            guard liveFiles.values.contains(where: \.wasReplaced) else { throw error }
            close()
            return try catchUpOnce(store, views: views, until: position)
        }
    }

    private func catchUpOnce(_ store: any EventStoreReader, views: [String]?, until: UInt64?) throws(ProjectionError) -> CatchUpReport {
        let selected = try select(views)
        let toRebuild = selected.filter { pendingRebuilds[$0.name] != nil }
        var rebuilt: [RebuildReport.ViewRebuild] = []
        if !toRebuild.isEmpty {
            rebuilt = try rebuild(store, projections: toRebuild, reasons: pendingRebuilds).views
        }
        let targets = try selected.map { projection throws(ProjectionError) in
            ProjectionTarget(projection: projection, file: try liveFile(projection), commitHook: options.commitHook)
        }
        try refuseViewsOfAnotherStore(targets, store: store)
        try refuseViewsAheadOfLog(targets, head: try guarded(view: nil) { try store.head().position })
        let eventsRead = try guarded(view: nil) {
            try engine(phase: .catchUp).run(store: store, targets: targets, filter: EventFilter(untilPosition: until))
        }
        var checkpoints: [String: UInt64] = [:]
        for target in targets {
            checkpoints[target.projection.name] = try checkpoint(of: target).position
        }
        return CatchUpReport(rebuilt: rebuilt, eventsRead: eventsRead, checkpoints: checkpoints)
    }

    /// Reads a live view (as it is: call `catchUp` first to see the latest events).
    public func read<T>(view name: String, _ body: (Database) throws -> T) throws(ProjectionError) -> T {
        guard let projection = projections.first(where: { $0.name == name }) else {
            throw .unknownView(name, known: viewNames)
        }
        var file = try liveFile(projection)
        if file.wasReplaced {
            // A rebuild swapped a new file in since this runner opened the view: read the new one.
            try? file.close()
            liveFiles[name] = nil
            file = try liveFile(projection)
        }
        return try guarded(view: name) { try file.queue.read(body) }
    }

    /// Closes the runner's connections (they are also closed when it is released).
    public func close() {
        for file in liveFiles.values { try? file.close() }
        liveFiles = [:]
    }

    deinit { close() }

    // MARK: - Internals shared by the extensions

    func engine(phase: ProjectionProgress.Phase) -> CatchUpEngine {
        CatchUpEngine(batchSize: options.batchSize, parallel: options.parallel, phase: phase, progress: options.progress)
    }

    func select(_ names: [String]?) throws(ProjectionError) -> [any Projection] {
        guard let names else { return projections }
        var selected: [any Projection] = []
        for name in names {
            guard let projection = projections.first(where: { $0.name == name }) else {
                throw .unknownView(name, known: viewNames)
            }
            if !selected.contains(where: { $0.name == name }) { selected.append(projection) }
        }
        return selected
    }

    /// The live file, opened (and created empty if it does not exist) on first use.
    func liveFile(_ projection: any Projection) throws(ProjectionError) -> ViewFile {
        if let file = liveFiles[projection.name] { return file }
        let path = path(ofView: projection.name)
        let file = try guarded(view: projection.name) {
            let file = try ViewFile(path: path, mode: .live, busyTimeout: options.busyTimeout)
            try file.queue.inDatabase { db in
                try db.inTransaction(.immediate) {
                    if try CheckpointTable.read(db, view: projection.name) == nil {
                        for statement in projection.schema + projection.queryIndexes { try db.execute(sql: statement) }
                        try CheckpointTable.create(db, view: projection.name, schemaVersion: projection.schemaVersion)
                    }
                    return .commit
                }
            }
            return file
        }
        liveFiles[projection.name] = file
        return file
    }

    func checkpoint(of target: ProjectionTarget) throws(ProjectionError) -> ViewCheckpoint {
        let name = target.projection.name
        let checkpoint = try guarded(view: name) {
            try target.file.queue.read { db in try CheckpointTable.read(db, view: name) }
        }
        guard let checkpoint else {
            throw .database(view: name, path: target.file.path, cause: .damaged("the file has no checkpoint row", operation: "reading"))
        }
        return checkpoint
    }

    /// A view built from another store's log is refused: it would be caught up with this log's events
    /// on top of another history. A file that records no store is bound to this one.
    private func refuseViewsOfAnotherStore(_ targets: [ProjectionTarget], store: any EventStoreReader) throws(ProjectionError) {
        let storeId = store.storeId.description
        for target in targets {
            let name = target.projection.name
            let recorded = try guarded(view: name) {
                try target.file.queue.inDatabase { db in
                    if try db.tableExists(StoreBindingTable.name),
                       let recorded = try String.fetchOne(db, sql: "SELECT store_id FROM projection_store LIMIT 1") {
                        return recorded
                    }
                    var bound = storeId
                    try db.inTransaction(.immediate) {
                        bound = try StoreBindingTable.bind(db, to: storeId)
                        return .commit
                    }
                    return bound
                }
            }
            if recorded != storeId {
                throw .viewOfAnotherStore(view: name, path: target.file.path, viewStore: recorded, logStore: storeId)
            }
        }
    }

    /// A view whose checkpoint is above the log's head shows events the log no longer holds: it is
    /// neither caught up nor served (`teamlog verify` and `teamlog rebuild` say what to do).
    private func refuseViewsAheadOfLog(_ targets: [ProjectionTarget], head: UInt64) throws(ProjectionError) {
        for target in targets {
            let position = try checkpoint(of: target).position
            if position > head {
                throw .viewAheadOfLog(view: target.projection.name, checkpoint: position, head: head)
            }
        }
    }

    /// Runs `body`, turning its errors into `ProjectionError`s that name the view (and the file, `path`,
    /// when it is not the view's live file).
    func guarded<T>(view: String?, path file: String? = nil, _ body: () throws -> T) throws(ProjectionError) -> T {
        do {
            return try body()
        } catch let error as EventLogError {
            throw .log(error)
        } catch where ProjectionError.isBusy(error) {
            throw .viewBusy(view: view, path: view.map { self.path(ofView: $0) } ?? viewsDirectory, seconds: options.busyTimeout)
        } catch {
            let name = view ?? "all"
            let path = file ?? view.map { self.path(ofView: $0) } ?? viewsDirectory
            if let failure = ProjectionError.storage(error, path: path) { throw failure }
            if let error = error as? ProjectionError { throw error }
            throw .database(view: name, path: path, cause: StorageFailure(error, operation: "using", path: path))
        }
    }

    /// Notes a view whose file is missing or was built by another schema version.
    private func detectRebuild(_ projection: any Projection) throws(ProjectionError) {
        let path = path(ofView: projection.name)
        guard FileSystem.exists(path) else {
            if options.missingViews == .rebuild { pendingRebuilds[projection.name] = .missing }
            return
        }
        let stored: ViewCheckpoint?
        do {
            stored = try guarded(view: projection.name) {
                let file = try ViewFile(path: path, mode: .live, busyTimeout: options.busyTimeout)
                defer { try? file.close() }
                return try file.queue.read { db in try CheckpointTable.read(db, view: projection.name) }
            }
        } catch let error where error.storageFailure?.cause.isDamaged == true {
            // A damaged file (not a database any more) fails only what uses that view, saying to rebuild
            // it: the runner opens, so that `teamlog rebuild` can replace it.
            return
        }
        if let stored, stored.schemaVersion != projection.schemaVersion {
            pendingRebuilds[projection.name] = .schemaVersionChanged
        }
    }

    private static func checkNames(_ projections: [any Projection]) throws(ProjectionError) {
        var views = Set<String>()
        var tables: Set<String> = [CheckpointTable.name, ReplayInfoTable.name, StoreBindingTable.name]
        for projection in projections {
            guard views.insert(projection.name).inserted else { throw .duplicateName(projection.name) }
            for table in projection.tables {
                guard tables.insert(table).inserted else { throw .duplicateName(table) }
            }
        }
    }
}
