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
        EventJSON.object(event, showPayload: showPayload)
    }

    func stream(_ event: RecordedEvent) -> String {
        EventJSON.stream(event, showPayload: showPayload)
    }
}
