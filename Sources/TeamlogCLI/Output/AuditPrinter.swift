import Application
import EventLog
import Foundation

/// Audit trail lines: a table of envelopes, or JSON Lines; payloads only when asked for.
struct AuditPrinter {
    var format: AuditLog.Format
    var showPayload: Bool

    func lines(_ events: [RecordedEvent]) -> [String] {
        switch format {
        case .jsonl:
            return events.map(json)
        case .table:
            return TableText.lines(columns: columns, cells: events.map(cells))
        }
    }

    var columns: [String] {
        ["position", "recorded_at", "actor", "stream", "version", "type", "command_id"] + (showPayload ? ["payload"] : [])
    }

    func cells(_ event: RecordedEvent) -> [String] {
        var row = [String(event.position), Timestamps.iso(micros: event.recordedAtMicros), event.actor,
                   stream(event), String(event.streamVersion), event.type, event.commandId ?? ""]
        if showPayload { row.append(String(decoding: event.payload, as: UTF8.self)) }
        return row
    }

    /// The table's first lines (header, rule, these rows), with the column widths they set.
    func tableHead(_ events: [RecordedEvent]) -> (lines: [String], widths: [Int]) {
        let rows = events.map(cells)
        var widths = columns.map(\.count)
        for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
        return (TableText.lines(columns: columns, cells: rows), widths)
    }

    /// One more row, aligned to `widths` (a longer cell pushes the rest of its row right).
    func tableRow(_ event: RecordedEvent, widths: [Int]) -> String {
        TableText.line(cells(event), widths: widths)
    }

    func json(_ event: RecordedEvent) -> String {
        var pairs: [(String, String)] = [
            ("position", String(event.position)),
            ("stream", JSONText.string(stream(event))),
            ("version", String(event.streamVersion)),
            ("type", JSONText.string(event.type)),
            ("schemaVersion", String(event.schemaVersion)),
            ("recordedAt", JSONText.string(Timestamps.iso(micros: event.recordedAtMicros))),
            ("recordedAtMicros", String(event.recordedAtMicros)),
            ("actor", JSONText.string(event.actor)),
            ("eventId", JSONText.string(Self.lowercased(event.eventId))),
            ("commitPosition", String(event.commitPosition)),
        ]
        if let commandId = event.commandId { pairs.append(("commandId", JSONText.string(commandId))) }
        if let correlationId = event.correlationId { pairs.append(("correlationId", JSONText.string(correlationId))) }
        if showPayload { pairs.append(("payload", payloadJSON(event.payload))) }
        return JSONText.object(pairs)
    }

    /// `8-4-4-4-12` lowercase hex, written directly (`uuidString.lowercased()` costs two strings per event).
    static func lowercased(_ id: UUID) -> String {
        let hex = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(36)
        withUnsafeBytes(of: id.uuid) { bytes in
            for (index, byte) in bytes.enumerated() {
                if index == 4 || index == 6 || index == 8 || index == 10 { out.append(UInt8(ascii: "-")) }
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The stream's name; an address stream (`email-<address>`) is masked unless payloads are shown.
    func stream(_ event: RecordedEvent) -> String {
        guard !showPayload, event.stream.hasPrefix("email-") else { return event.stream }
        return "email-(hidden)"
    }

    /// The payload as stored (a JSON object), or as a string when it is not one.
    private func payloadJSON(_ payload: [UInt8]) -> String {
        let text = String(decoding: payload, as: UTF8.self)
        return text.hasPrefix("{") && text.hasSuffix("}") ? text : JSONText.string(text)
    }
}
