import EventLog
import PostgresNIO
import Projections

extension PostgresMirror {
    /// Where one view stands in PostgreSQL.
    public struct MirroredView: Sendable, Hashable {
        public var name: String
        /// The schema version the code has.
        public var schemaVersion: Int
        /// The schema PostgreSQL serves the view from, and its version (nil: none yet).
        public var schema: String?
        public var postgresSchemaVersion: Int?
        public var checkpoint: UInt64?
        public var checkpointRecordedAtMicros: Int64?
        /// Events of the log not yet in the view (nil without a checkpoint).
        public var lag: UInt64?
        /// Over PostgreSQL's rows, by the SQLite fingerprint's canonical bytes (nil when the schema is
        /// of another version than the code's, whose layout the code does not know).
        public var fingerprint: String?
    }

    public struct Status: Sendable, Hashable {
        public var endpoint: String
        public var storeId: String?
        public var logHead: UInt64
        /// The highest position in `teamlog.events`.
        public var eventsHead: UInt64
        public var views: [MirroredView]
    }

    /// Each view's schema, checkpoint, lag and fingerprint in PostgreSQL, and the events table's head.
    public func status(fingerprints: Bool = true) throws(MirrorError) -> Status {
        let head: UInt64
        do throws(EventLogError) { head = try log.head().position } catch { throw .log(error) }
        let identity = try MirrorCatalog.identity(pool)
        guard identity != nil else {
            return Status(endpoint: pool.endpoint.description, storeId: nil, logHead: head, eventsHead: 0,
                          views: projections.map { MirroredView(name: $0.name, schemaVersion: $0.schemaVersion, lag: nil) })
        }
        if let identity, identity.storeId != log.storeId.description {
            throw .otherStore(endpoint: pool.endpoint.description, databaseStore: identity.storeId, logStore: log.storeId.description)
        }
        var layouts: [String: ViewLayout] = [:]
        for projection in projections {
            do { layouts[projection.name] = try ViewLayout(declaredBy: projection) } catch {
                throw .storage(path: ":memory:", reason: "the schema of view \(projection.name) does not load: \(error)")
            }
        }
        let all = projections
        let found = layouts
        let (eventsHead, views) = try pool.withConnection { connection -> (UInt64, [MirroredView]) in
            let entries = try await MirrorCatalog.views(on: connection)
            var views: [MirroredView] = []
            for projection in all {
                var status = MirroredView(name: projection.name, schemaVersion: projection.schemaVersion)
                if let entry = entries[projection.name] {
                    status.schema = entry.schema
                    status.postgresSchemaVersion = entry.schemaVersion
                    status.checkpoint = entry.position
                    status.checkpointRecordedAtMicros = entry.recordedAtMicros
                    status.lag = head > entry.position ? head - entry.position : 0
                    if fingerprints, entry.schemaVersion == projection.schemaVersion, let layout = found[projection.name] {
                        status.fingerprint = try await PostgresFingerprint.compute(layout, schema: entry.schema, on: connection)
                    }
                }
                views.append(status)
            }
            return (try await EventsMirror.head(on: connection), views)
        }
        return Status(endpoint: pool.endpoint.description, storeId: identity?.storeId, logHead: head, eventsHead: eventsHead, views: views)
    }
}
