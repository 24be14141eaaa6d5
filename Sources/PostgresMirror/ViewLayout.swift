import Foundation
import GRDB
import Projections

/// A view's tables as its SQLite file declares them (columns, types, primary keys), its SQL views and
/// its indexes, and the same in PostgreSQL: one schema per view and schema version, with the same
/// tables, columns and meaning.
///
/// Types map one to one: `INTEGER` to `bigint`, `REAL` to `double precision`, `TEXT` to `text`, `BLOB` to
/// `bytea`, so every value keeps its type and the fingerprint over PostgreSQL's rows can equal the
/// SQLite one. Each `<name>_micros` column (microseconds since the epoch) gains a generated
/// `timestamptz` column beside it, `<name>` (`sent_at_micros` → `sent_at`), for SQL that wants times.
struct ViewLayout: Sendable {
    struct Column: Sendable {
        var name: String
        var type: ColumnType
        var notNull: Bool
    }

    enum ColumnType: String, Sendable {
        case integer, real, text, blob

        init(declared: String) {
            // SQLite's affinity rules, for the declared types the projections use.
            let upper = declared.uppercased()
            if upper.contains("INT") { self = .integer }
            else if upper.contains("CHAR") || upper.contains("CLOB") || upper.contains("TEXT") { self = .text }
            else if upper.contains("BLOB") || upper.isEmpty { self = .blob }
            else { self = .real }
        }

        var postgresType: String {
            switch self {
            case .integer: return "bigint"
            case .real: return "double precision"
            case .text: return "text"
            case .blob: return "bytea"
            }
        }
    }

    struct Table: Sendable {
        var name: String
        var columns: [Column]
        /// The primary key's columns, in key order.
        var primaryKey: [String]

        var columnList: String { columns.map { quoted($0.name) }.joined(separator: ", ") }

        /// The primary key as PostgreSQL orders it the way SQLite does: text compared byte by byte.
        var postgresOrder: String {
            primaryKey.map { key in
                let type = columns.first { $0.name == key }?.type
                return type == .text ? "\(quoted(key)) COLLATE \"C\"" : quoted(key)
            }.joined(separator: ", ")
        }
    }

    var view: String
    var schemaVersion: Int
    var tables: [Table]
    /// `CREATE VIEW` statements, in the order SQLite holds them.
    var sqlViews: [String]
    /// `CREATE INDEX` statements.
    var indexes: [String]

    /// The layout of `projection` in `db` (its live or shadow file).
    init(projection: any Projection, db: Database) throws {
        view = projection.name
        schemaVersion = projection.schemaVersion
        tables = try projection.tables.map { name in
            let info = try Row.fetchAll(db, sql: "SELECT name, type, \"notnull\", pk FROM pragma_table_info(?)", arguments: [name])
            let columns = info.map { row in
                Column(name: row[0], type: ColumnType(declared: row[1] ?? ""), notNull: (row[2] as Int64? ?? 0) != 0)
            }
            let primaryKey = info.filter { ($0[3] as Int64? ?? 0) > 0 }.sorted { ($0[3] as Int64) < ($1[3] as Int64) }.map { $0[0] as String }
            return Table(name: name, columns: columns, primaryKey: primaryKey)
        }
        let names = Set(projection.tables)
        sqlViews = try String.fetchAll(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'view' AND sql IS NOT NULL ORDER BY rowid")
        indexes = try Row.fetchAll(db, sql: "SELECT tbl_name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY rowid")
            .filter { names.contains($0[0] as String) }.map { $0[1] as String }
    }

    /// `teamlog_<view>_v<version>`: where this version's rows are.
    var schema: String { Self.schema(view: view, version: schemaVersion) }

    static func schema(view: String, version: Int) -> String { "teamlog_\(view)_v\(version)" }

    /// `teamlog_<view>`: views over the current version's tables, for SQL that should not care which
    /// version is current (rewritten when a new version is swapped in).
    static func stableSchema(view: String) -> String { "teamlog_\(view)" }

    /// The statements that create the layout in `schema` (which must exist and be first on the
    /// search path: the SQL views name their tables unqualified).
    func postgresStatements() -> [String] {
        var statements: [String] = []
        for table in tables {
            var lines = table.columns.map { column in
                "\(quoted(column.name)) \(column.type.postgresType)\(column.notNull ? " NOT NULL" : "")"
            }
            let names = Set(table.columns.map(\.name))
            for column in table.columns where column.type == .integer && column.name.hasSuffix("_micros") {
                let time = String(column.name.dropLast("_micros".count))
                guard !time.isEmpty, !names.contains(time) else { continue }
                lines.append("\(quoted(time)) timestamptz GENERATED ALWAYS AS (to_timestamp(\(quoted(column.name))::double precision / 1000000)) STORED")
            }
            if !table.primaryKey.isEmpty {
                lines.append("PRIMARY KEY (\(table.primaryKey.map(quoted).joined(separator: ", ")))")
            }
            statements.append("CREATE TABLE \(quoted(table.name)) (\n    \(lines.joined(separator: ",\n    "))\n)")
        }
        statements.append(CheckpointTable.postgresSchema)
        return statements
    }

    /// The SQL views and indexes, made after the rows are loaded.
    func postgresFinishingStatements() -> [String] {
        sqlViews + indexes
    }
}

/// The view's checkpoint in PostgreSQL, in the view's schema, written in the same transaction as its rows.
enum CheckpointTable {
    static let postgresSchema = """
        CREATE TABLE projection_checkpoint (
            view text PRIMARY KEY,
            schema_version bigint NOT NULL,
            position bigint NOT NULL,
            recorded_at_micros bigint NOT NULL,
            recorded_at timestamptz GENERATED ALWAYS AS (to_timestamp(recorded_at_micros::double precision / 1000000)) STORED
        )
        """
}

/// A SQL identifier, quoted (for both engines).
func quoted(_ identifier: String) -> String {
    "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}

extension ViewLayout {
    /// The layout the projection's code declares: its schema made in an empty in-memory database (what
    /// a node without the view's file, a read-only node say, knows of it).
    init(declaredBy projection: any Projection) throws {
        let queue = try DatabaseQueue()
        self = try queue.write { db in
            for statement in projection.schema { try db.execute(sql: statement) }
            return try ViewLayout(projection: projection, db: db)
        }
    }
}
