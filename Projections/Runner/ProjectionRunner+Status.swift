public import EventLog
import GRDB
import PosixFiles

extension ProjectionRunner {
    /// Each view's schema versions, checkpoint, lag behind the log (when a log is given), content
    /// fingerprint at its checkpoint (computed and stored if it is stale and `fingerprints` is true),
    /// and row counts. Does not catch views up.
    public func status(_ store: (any EventStoreReader)? = nil, views: [String]? = nil,
                       fingerprints: Bool = true) throws(ProjectionError) -> [ViewStatus] {
        let head = try store.map { store throws(ProjectionError) in
            try guarded(view: nil) { try store.head().position }
        }
        var statuses: [ViewStatus] = []
        for projection in try select(views) {
            let path = path(ofView: projection.name)
            guard FileSystem.exists(path) else {
                statuses.append(ViewStatus(
                    name: projection.name, path: path, schemaVersion: projection.schemaVersion,
                    storedSchemaVersion: nil, checkpoint: 0, checkpointRecordedAtMicros: 0, lag: head,
                    fingerprint: nil, rowCounts: [:], needsRebuild: true))
                continue
            }
            let file = try liveFile(projection)
            let name = projection.name
            let (checkpoint, fingerprint, counts) = try guarded(view: name) {
                try file.queue.inDatabase { db in
                    var result: (ViewCheckpoint?, String?, [String: Int]) = (nil, nil, [:])
                    // A write transaction: the fingerprint is stored with the checkpoint it describes.
                    try db.inTransaction(fingerprints ? .immediate : .deferred) {
                        let checkpoint = try CheckpointTable.read(db, view: name)
                        let stale = checkpoint?.schemaVersion != projection.schemaVersion
                        var fingerprint = checkpoint?.currentFingerprint
                        if fingerprints, !stale, fingerprint == nil, let checkpoint {
                            let computed = try ViewFingerprint.compute(db, tables: projection.tables)
                            try CheckpointTable.storeFingerprint(db, view: name, fingerprint: computed, position: checkpoint.position)
                            fingerprint = computed
                        }
                        let tables = try projection.tables.filter { try db.tableExists($0) }
                        result = (checkpoint, fingerprint, try ViewFingerprint.rowCounts(db, tables: tables))
                        return .commit
                    }
                    return result
                }
            }
            let position = checkpoint?.position ?? 0
            statuses.append(ViewStatus(
                name: name, path: path, schemaVersion: projection.schemaVersion,
                storedSchemaVersion: checkpoint?.schemaVersion, checkpoint: position,
                checkpointRecordedAtMicros: checkpoint?.recordedAtMicros ?? 0,
                lag: head.map { $0 > position ? $0 - position : 0 }, fingerprint: fingerprint,
                rowCounts: counts, needsRebuild: pendingRebuilds[name] != nil,
                aheadOfLog: head.map { position > $0 ? position - $0 : 0 } ?? 0))
        }
        return statuses
    }
}
