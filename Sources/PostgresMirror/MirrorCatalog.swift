import Foundation
import PostgresNIO

/// The mirror's own tables in PostgreSQL, in the schema `teamlog`:
/// - `teamlog.mirror`: one row, the store whose log this database mirrors and the mirror's id (which
///   names the writer's shadow directory);
/// - `teamlog.views`: each view's current schema (`teamlog_<view>_v<version>`) and when it was swapped in;
/// - `teamlog.events`: the log itself (`EventsMirror`).
enum MirrorCatalog {
    static let schema = "teamlog"

    static let statements = [
        "CREATE SCHEMA IF NOT EXISTS teamlog",
        """
        CREATE TABLE IF NOT EXISTS teamlog.mirror (
            store_id text NOT NULL,
            mirror_id text NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now()
        )
        """,
        """
        CREATE TABLE IF NOT EXISTS teamlog.views (
            view text PRIMARY KEY,
            schema_name text NOT NULL,
            schema_version bigint NOT NULL,
            swapped_in_at timestamptz NOT NULL DEFAULT now()
        )
        """,
    ] + EventsMirror.schema

    /// What the database says of the mirror: its store and id.
    struct Identity: Sendable, Hashable {
        var storeId: String
        var mirrorId: String
    }

    /// Creates the catalogue if it is missing and returns the mirror's identity, made for `storeId` in a
    /// database that mirrors nothing yet. A database that mirrors another store is refused.
    static func prepare(_ pool: PostgresPool, storeId: String) throws(MirrorError) -> Identity {
        let endpoint = pool.endpoint
        let identity = try pool.withConnection { connection -> Identity in
            try await connection.execute("BEGIN")
            // One preparer at a time: two first syncs must not both insert a mirror row.
            try await connection.execute("SELECT pg_advisory_xact_lock(7426176386721541)")
            for statement in statements { try await connection.execute(statement) }
            let rows = try await connection.rows("SELECT store_id, mirror_id FROM teamlog.mirror LIMIT 1")
            if let row = rows.first {
                let (store, mirror) = try row.decode((String, String).self)
                try await connection.execute("COMMIT")
                return Identity(storeId: store, mirrorId: mirror)
            }
            let mirrorId = UUID().uuidString.lowercased()
            var binds = PostgresBindings()
            binds.append(storeId)
            binds.append(mirrorId)
            try await connection.execute("INSERT INTO teamlog.mirror (store_id, mirror_id) VALUES ($1, $2)", binds)
            try await connection.execute("COMMIT")
            return Identity(storeId: storeId, mirrorId: mirrorId)
        }
        guard identity.storeId == storeId else {
            throw .otherStore(endpoint: endpoint.description, databaseStore: identity.storeId, logStore: storeId)
        }
        return identity
    }

    /// The identity, or nil when the database holds no mirror.
    static func identity(_ pool: PostgresPool) throws(MirrorError) -> Identity? {
        try pool.withConnection { connection -> Identity? in
            let exists = try await connection.rows("SELECT to_regclass('teamlog.mirror') IS NOT NULL")
            guard try exists.first?.decode(Bool.self) == true else { return nil }
            let rows = try await connection.rows("SELECT store_id, mirror_id FROM teamlog.mirror LIMIT 1")
            guard let row = rows.first else { return nil }
            let (store, mirror) = try row.decode((String, String).self)
            return Identity(storeId: store, mirrorId: mirror)
        }
    }

    /// Each view's current schema, version and checkpoint as PostgreSQL has them.
    struct ViewEntry: Sendable, Hashable {
        var view: String
        var schema: String
        var schemaVersion: Int
        var position: UInt64
        var recordedAtMicros: Int64
        var swappedInAtMicros: Int64
    }

    static func views(on connection: PostgresConnection) async throws -> [String: ViewEntry] {
        let rows = try await connection.rows("""
            SELECT view, schema_name, schema_version, (extract(epoch FROM swapped_in_at) * 1000000)::bigint
            FROM teamlog.views
            """)
        var entries: [String: ViewEntry] = [:]
        for row in rows {
            let (view, schema, version, swapped) = try row.decode((String, String, Int64, Int64).self)
            // The schema may be gone (dropped by hand): no checkpoint then, and the next sync copies the view.
            var table = PostgresBindings()
            table.append("\(quoted(schema)).projection_checkpoint")
            let exists = try await connection.rows("SELECT to_regclass($1) IS NOT NULL", table)
            guard try exists.first?.decode(Bool.self) == true else { continue }
            var binds = PostgresBindings()
            binds.append(view)
            let checkpoint = try await connection.rows(
                "SELECT position, recorded_at_micros FROM \(quoted(schema)).projection_checkpoint WHERE view = $1", binds)
            guard let found = checkpoint.first else { continue }
            let (position, micros) = try found.decode((Int64, Int64).self)
            entries[view] = ViewEntry(view: view, schema: schema, schemaVersion: Int(version), position: UInt64(max(0, position)),
                                      recordedAtMicros: micros, swappedInAtMicros: swapped)
        }
        return entries
    }
}
