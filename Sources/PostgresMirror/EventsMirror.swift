import EventLog
import Foundation
import PostgresNIO

/// The log mirrored into `teamlog.events`: one row per event, the position as primary key, every
/// envelope field, the payload as `jsonb`. Whole commits are copied in transactions of a few thousand
/// events, each sending `NOTIFY teamlog_events` with the last position it added, so that listeners
/// (read-only nodes) wake. The table's highest position is its checkpoint: a sync resumes after it, and
/// the primary key refuses an event twice.
struct EventsMirror {
    static let channel = "teamlog_events"

    static let schema = [
        """
        CREATE TABLE IF NOT EXISTS teamlog.events (
            position bigint PRIMARY KEY,
            event_id uuid NOT NULL,
            stream text NOT NULL,
            stream_version bigint NOT NULL,
            type text NOT NULL,
            schema_version integer NOT NULL,
            recorded_at_micros bigint NOT NULL,
            recorded_at timestamptz GENERATED ALWAYS AS (to_timestamp(recorded_at_micros::double precision / 1000000)) STORED,
            command_id text,
            correlation_id text,
            actor text NOT NULL,
            principal text,
            commit_position bigint NOT NULL,
            payload jsonb,
            payload_bytes bytea
        )
        """,
        "CREATE INDEX IF NOT EXISTS events_by_stream ON teamlog.events (stream, stream_version)",
    ]

    static let columns = ["position", "event_id", "stream", "stream_version", "type", "schema_version", "recorded_at_micros",
                          "command_id", "correlation_id", "actor", "principal", "commit_position", "payload", "payload_bytes"]

    let pool: PostgresPool
    /// Events per transaction, about (a transaction ends at a commit's end).
    var batchEvents = 5_000

    /// The last position PostgreSQL holds.
    static func head(on connection: PostgresConnection) async throws -> UInt64 {
        let rows = try await connection.rows("SELECT coalesce(max(position), 0) FROM teamlog.events")
        return UInt64(max(0, try rows.first?.decode(Int64.self) ?? 0))
    }

    /// Copies the events after PostgreSQL's last one, up to the log's head; returns the events copied.
    func sync(_ log: any EventStoreReader, until head: UInt64) throws(MirrorError) -> UInt64 {
        let start = try pool.withConnection { connection in try await Self.head(on: connection) }
        guard start < head else { return 0 }
        let cursor: any EventCursor
        do throws(EventLogError) { cursor = try log.events(from: start + 1, filter: EventFilter(untilPosition: head)) } catch { throw .log(error) }
        var copied: UInt64 = 0
        var text = CopyText()
        var expected = start
        var pending: RecordedEvent?
        var last: UInt64 = start
        func flush() throws(MirrorError) {
            guard text.rows > 0 else { return }
            let data = text.take()
            let after = expected
            let through = last
            try pool.withConnection { connection in
                try await connection.execute("BEGIN")
                // Another writer would show as a head other than ours: refuse rather than interleave.
                let found = try await Self.head(on: connection)
                guard found == after else {
                    try await connection.execute("ROLLBACK")
                    throw MirrorError.server(endpoint: "teamlog.events", sqlState: "40001",
                                             message: "teamlog.events moved from \(after) to \(found) during the sync", detail: nil)
                }
                try await connection.execute("SET LOCAL search_path TO teamlog")
                try await connection.copy(into: "events", columns: Self.columns, data: data)
                try await connection.execute("SELECT pg_notify('\(Self.channel)', '\(through)')")
                try await connection.execute("COMMIT")
            }
            copied += through - after
            expected = through
        }
        while true {
            let event: RecordedEvent?
            if let held = pending {
                event = held
                pending = nil
            } else {
                do throws(EventLogError) { event = try cursor.next() } catch { throw .log(error) }
            }
            guard let event else { break }
            // A transaction holds whole commits: flush only before a commit's first event.
            if text.rows >= batchEvents, event.position == event.commitPosition {
                pending = event
                try flush()
                continue
            }
            Self.append(event, to: &text)
            last = event.position
        }
        try flush()
        return copied
    }

    static func append(_ event: RecordedEvent, to text: inout CopyText) {
        text.appendInteger(Int64(event.position)); text.appendSeparator()
        text.appendText(event.eventId.uuidString.lowercased()); text.appendSeparator()
        text.appendText(event.stream); text.appendSeparator()
        text.appendInteger(Int64(event.streamVersion)); text.appendSeparator()
        text.appendText(event.type); text.appendSeparator()
        text.appendInteger(Int64(event.schemaVersion)); text.appendSeparator()
        text.appendInteger(event.recordedAtMicros); text.appendSeparator()
        optional(event.commandId, &text); text.appendSeparator()
        optional(event.correlationId, &text); text.appendSeparator()
        text.appendText(event.actor); text.appendSeparator()
        optional(event.principal, &text); text.appendSeparator()
        text.appendInteger(Int64(event.commitPosition)); text.appendSeparator()
        // jsonb cannot hold the character U+0000: such a payload is kept as its bytes instead.
        if Self.jsonbCanHold(event.payload) {
            event.payload.withUnsafeBytes { text.appendEscaped($0.baseAddress, count: $0.count) }
            text.appendSeparator()
            text.appendNull()
        } else {
            text.appendNull()
            text.appendSeparator()
            text.appendBytes(event.payload)
        }
        text.endRow()
    }

    private static func optional(_ value: String?, _ text: inout CopyText) {
        if let value { text.appendText(value) } else { text.appendNull() }
    }

    /// False when the JSON holds the escape `\u0000` (or is not UTF-8), which jsonb refuses.
    static func jsonbCanHold(_ payload: [UInt8]) -> Bool {
        let needle = Array("\\u0000".utf8)
        guard payload.count >= needle.count else { return String(validating: payload, as: UTF8.self) != nil }
        for start in 0...(payload.count - needle.count) where payload[start] == needle[0] {
            if Array(payload[start..<(start + needle.count)]) == needle { return false }
        }
        return String(validating: payload, as: UTF8.self) != nil
    }
}
