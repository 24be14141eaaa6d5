import EventLog
import GRDB
import Projections

/// Every event, and per stream a count: a projection that fails loudly if an event is applied twice
/// (the position is the primary key).
struct EnvelopeProjection: Projection {
    var name = "envelopes"
    var schemaVersion = 1
    var tables = ["tp_events", "tp_streams"]
    var schema = [
        "CREATE TABLE tp_events (position INTEGER PRIMARY KEY, stream TEXT NOT NULL, type TEXT NOT NULL, at INTEGER NOT NULL)",
        "CREATE TABLE tp_streams (stream TEXT PRIMARY KEY, events INTEGER NOT NULL, last_version INTEGER NOT NULL) WITHOUT ROWID",
    ]

    func apply(_ event: RecordedEvent, in context: ProjectionContext) throws {
        let db = context.db
        try db.execute(sql: "INSERT INTO tp_events VALUES (?, ?, ?, ?)",
                       arguments: [Int64(event.position), event.stream, event.type, event.recordedAtMicros])
        try db.execute(sql: """
            INSERT INTO tp_streams VALUES (?, 1, ?)
            ON CONFLICT(stream) DO UPDATE SET events = events + 1, last_version = excluded.last_version
            """, arguments: [event.stream, Int64(event.streamVersion)])
    }
}

/// Counts events per type.
struct TypeCountProjection: Projection {
    var name = "type_counts"
    var schemaVersion = 1
    var tables = ["tp_types"]
    var schema = ["CREATE TABLE tp_types (type TEXT PRIMARY KEY, events INTEGER NOT NULL) WITHOUT ROWID"]

    func apply(_ event: RecordedEvent, in context: ProjectionContext) throws {
        let db = context.db
        try db.execute(sql: """
            INSERT INTO tp_types VALUES (?, 1) ON CONFLICT(type) DO UPDATE SET events = events + 1
            """, arguments: [event.type])
    }
}

/// Fails on the event at a given position.
struct FailingProjection: Projection {
    struct Boom: Error {}
    var name = "failing"
    var schemaVersion = 1
    var tables = ["tp_seen"]
    var schema = ["CREATE TABLE tp_seen (position INTEGER PRIMARY KEY)"]
    var failAt: UInt64
    /// Fail as SQLite would, with this code (a damaged file, an I/O error, a constraint), instead of `Boom`.
    var sqliteCode: ResultCode? = nil

    func apply(_ event: RecordedEvent, in context: ProjectionContext) throws {
        let db = context.db
        if event.position == failAt {
            if let sqliteCode { throw DatabaseError(resultCode: sqliteCode, message: "failed (test)") }
            throw Boom()
        }
        try db.execute(sql: "INSERT INTO tp_seen VALUES (?)", arguments: [Int64(event.position)])
    }
}

