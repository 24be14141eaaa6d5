import Foundation
import GRDB
import GRDBSQLite
import PostgresNIO
import Projections

/// Copies a whole view from its shadow file into PostgreSQL, built beside the current version and
/// swapped in, all in one PostgreSQL transaction: readers see the old rows until the commit and the new
/// ones after it, never an empty or half-built view.
///
/// In the transaction: the rows go into `teamlog_<view>_v<N>_next` (COPY, a few MB at a time, read from
/// the shadow's snapshot), then its SQL views and indexes are made; the schema of the same version, if
/// any, is dropped and the new one renamed to `teamlog_<view>_v<N>`; the stable schema `teamlog_<view>`
/// gets views over the new tables; `teamlog.views` points at it. After the commit, the schemas of other
/// versions of the view are dropped.
struct ViewCopy {
    let pool: PostgresPool
    /// COPY data per statement, in bytes.
    var chunkBytes = 4 << 20

    /// Copies the view as `db` (a read transaction on its shadow file) holds it; returns the rows copied
    /// and the checkpoint.
    func copy(_ projection: any Projection, from db: Database) throws -> (rows: Int, position: UInt64) {
        let layout = try ViewLayout(projection: projection, db: db)
        let checkpoint = try Row.fetchOne(db, sql: "SELECT position, recorded_at_micros FROM projection_checkpoint WHERE view = ?",
                                          arguments: [projection.name])
        let position: Int64 = checkpoint?[0] ?? 0
        let micros: Int64 = checkpoint?[1] ?? 0
        let final = layout.schema
        let building = final + "_next"
        let stable = ViewLayout.stableSchema(view: layout.view)
        var copied = 0
        try pool.withSession { session in
            try session.execute([
                "BEGIN",
                "DROP SCHEMA IF EXISTS \(quoted(building)) CASCADE",
                "CREATE SCHEMA \(quoted(building))",
                "SET LOCAL search_path TO \(quoted(building))",
            ] + layout.postgresStatements())
            for table in layout.tables {
                copied += try copyRows(of: table, from: db, session: session)
            }
            let view = layout.view
            let version = layout.schemaVersion
            try session.run { connection in
                var binds = PostgresBindings()
                binds.append(view)
                binds.append(Int64(version))
                binds.append(position)
                binds.append(micros)
                try await connection.execute("""
                    INSERT INTO projection_checkpoint (view, schema_version, position, recorded_at_micros) VALUES ($1, $2, $3, $4)
                    """, binds)
            }
            try session.execute(layout.postgresFinishingStatements())
            // The swap: the old rows stay readable until this commits.
            var swap = [
                "DROP SCHEMA IF EXISTS \(quoted(final)) CASCADE",
                "ALTER SCHEMA \(quoted(building)) RENAME TO \(quoted(final))",
                "DROP SCHEMA IF EXISTS \(quoted(stable)) CASCADE",
                "CREATE SCHEMA \(quoted(stable))",
            ]
            for name in layout.tables.map(\.name) + ["projection_checkpoint"] + layout.sqlViewNames {
                swap.append("CREATE VIEW \(quoted(stable)).\(quoted(name)) AS SELECT * FROM \(quoted(final)).\(quoted(name))")
            }
            try session.execute(swap)
            try session.run { connection in
                var binds = PostgresBindings()
                binds.append(view)
                binds.append(final)
                binds.append(Int64(version))
                try await connection.execute("""
                    INSERT INTO teamlog.views (view, schema_name, schema_version, swapped_in_at) VALUES ($1, $2, $3, now())
                    ON CONFLICT (view) DO UPDATE SET schema_name = excluded.schema_name,
                        schema_version = excluded.schema_version, swapped_in_at = excluded.swapped_in_at
                    """, binds)
                try await connection.execute("COMMIT")
            }
            try dropOtherVersions(of: layout, session: session)
        }
        return (copied, UInt64(max(0, position)))
    }

    /// COPY of a table's rows in chunks of about `chunkBytes`, stepped from one SQLite statement.
    private func copyRows(of table: ViewLayout.Table, from db: Database, session: PostgresSession) throws -> Int {
        let statement = try db.makeStatement(sql: "SELECT \(table.columnList) FROM main.\(quoted(table.name))")
        let types = table.columns.map(\.type)
        let columns = table.columns.map(\.name)
        var text = CopyText(capacity: chunkBytes + (1 << 16))
        var copied = 0
        func flush() throws(MirrorError) {
            guard text.rows > 0 else { return }
            copied += text.rows
            let data = text.take()
            try session.run { connection in try await connection.copy(into: table.name, columns: columns, data: data) }
        }
        try ChangeCapture.step(statement, db: db) { handle in
            text.appendRow(of: handle, types: types)
            if text.byteCount >= chunkBytes { try flush() }
        }
        try flush()
        return copied
    }

    /// Drops the schemas of the view's other versions (and any half-built one left by a kill).
    private func dropOtherVersions(of layout: ViewLayout, session: PostgresSession) throws {
        let prefix = "teamlog_\(layout.view)_v"
        let current = layout.schema
        let schemas = try session.run { connection -> [String] in
            var binds = PostgresBindings()
            binds.append(prefix.replacingOccurrences(of: "_", with: "\\_") + "%")
            let rows = try await connection.rows("SELECT nspname FROM pg_namespace WHERE nspname LIKE $1", binds)
            return try rows.map { try $0.decode(String.self) }
        }
        let others = schemas.filter { name in
            name != current && name.dropFirst(prefix.count).allSatisfy { $0.isNumber || $0 == "_" || $0.isLetter }
        }
        guard !others.isEmpty else { return }
        try session.execute(["BEGIN"] + others.map { "DROP SCHEMA IF EXISTS \(quoted($0)) CASCADE" } + ["COMMIT"])
    }
}

extension ViewLayout {
    /// The names of the SQL views (from their `CREATE VIEW name AS` statements).
    var sqlViewNames: [String] {
        sqlViews.compactMap { statement in
            let words = statement.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" })
            guard words.count > 2, words[0].uppercased() == "CREATE", words[1].uppercased() == "VIEW" else { return nil }
            return String(words[2]).trimmingCharacters(in: CharacterSet(charactersIn: "\"`[]"))
        }
    }
}
