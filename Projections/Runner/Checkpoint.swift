import GRDB

/// Where a view stands: the last log position applied, written in the same transaction as the rows.
public struct ViewCheckpoint: Sendable, Hashable {
    public var view: String
    /// The projection's schema version that built the rows.
    public var schemaVersion: Int
    /// The last position applied (0: nothing yet).
    public var position: UInt64
    /// When the event at `position` was recorded (microseconds since the epoch), 0 when none.
    public var recordedAtMicros: Int64
    /// SHA-256 (hex) over the view's rows, when computed at `fingerprintPosition`.
    public var fingerprint: String?
    public var fingerprintPosition: UInt64?

    /// The fingerprint if it describes the rows at the checkpoint.
    public var currentFingerprint: String? {
        fingerprintPosition == position ? fingerprint : nil
    }
}

/// The `projection_checkpoint` table: one row per view held in the file.
enum CheckpointTable {
    static let name = "projection_checkpoint"

    static let schema = """
        CREATE TABLE IF NOT EXISTS projection_checkpoint (
            view TEXT PRIMARY KEY NOT NULL,
            schema_version INTEGER NOT NULL,
            position INTEGER NOT NULL,
            recorded_at_micros INTEGER NOT NULL,
            fingerprint TEXT,
            fingerprint_position INTEGER
        ) WITHOUT ROWID
        """

    static func exists(_ db: Database) throws -> Bool {
        try db.tableExists(name)
    }

    static func read(_ db: Database, view: String) throws -> ViewCheckpoint? {
        guard try exists(db) else { return nil }
        let row = try Row.fetchOne(
            db.cachedStatement(sql: """
                SELECT schema_version, position, recorded_at_micros, fingerprint, fingerprint_position
                FROM projection_checkpoint WHERE view = ?
                """),
            arguments: [view])
        guard let row else { return nil }
        let fingerprintPosition: Int64? = row[4]
        return ViewCheckpoint(
            view: view, schemaVersion: row[0], position: UInt64(max(0, row[1] as Int64)),
            recordedAtMicros: row[2], fingerprint: row[3],
            fingerprintPosition: fingerprintPosition.map { UInt64(max(0, $0)) })
    }

    /// Creates the view's row at position 0.
    static func create(_ db: Database, view: String, schemaVersion: Int) throws {
        try db.execute(sql: schema)
        try db.execute(
            sql: """
                INSERT INTO projection_checkpoint (view, schema_version, position, recorded_at_micros)
                VALUES (?, ?, 0, 0)
                """,
            arguments: [view, schemaVersion])
    }

    static func advance(_ db: Database, view: String, position: UInt64, recordedAtMicros: Int64) throws {
        try db.cachedStatement(sql: """
            UPDATE projection_checkpoint SET position = ?, recorded_at_micros = ? WHERE view = ?
            """).execute(arguments: [Int64(position), recordedAtMicros, view])
    }

    static func storeFingerprint(_ db: Database, view: String, fingerprint: String, position: UInt64) throws {
        try db.execute(
            sql: "UPDATE projection_checkpoint SET fingerprint = ?, fingerprint_position = ? WHERE view = ?",
            arguments: [fingerprint, Int64(position), view])
    }
}

/// The `projection_store` table: the id of the store whose log a file's views were built from, so that a
/// view file copied from another store is refused instead of served (and caught up) as this one's.
enum StoreBindingTable {
    static let name = "projection_store"

    /// The store id the file records, binding it to `storeId` first when it records none (a new file, or
    /// one made before files recorded it).
    static func bind(_ db: Database, to storeId: String) throws -> String {
        try db.execute(sql: "CREATE TABLE IF NOT EXISTS projection_store (store_id TEXT NOT NULL)")
        if let recorded = try String.fetchOne(db, sql: "SELECT store_id FROM projection_store LIMIT 1") { return recorded }
        try db.execute(sql: "INSERT INTO projection_store (store_id) VALUES (?)", arguments: [storeId])
        return storeId
    }
}
