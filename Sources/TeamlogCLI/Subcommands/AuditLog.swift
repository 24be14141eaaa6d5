import Application
import ArgumentParser
import EventLog

/// `teamlog log`: the audit trail, filtered; payloads only with `--show-payload`.
struct AuditLog: ParsableCommand {
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, jsonl
    }

    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Show the audit trail: every event with who did it and when.",
        discussion: """
            Filters combine (all must hold); --stream, --type and --actor may be repeated.
            TIME is ISO-8601: 2024-05-01, 2024-05-01T10:00:00Z, 2024-05-01T10:00:00.250+02:00.
            Payloads (which hold personal data: emails, message bodies) are shown only with --show-payload.

            Examples:
              teamlog log --stream team-t-acme
              teamlog log --type MessageSent --actor u-sam --format jsonl
              teamlog log --since 2024-05-01T00:00:00Z --until 2024-05-02 --last 20
              teamlog log --from 100 --to 200 --show-payload --format jsonl
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: ArgumentHelp("Only this stream (repeatable), e.g. team-t-acme.", valueName: "stream"))
    var stream: [String] = []

    @Option(help: ArgumentHelp("Only this event type (repeatable), e.g. MessageSent.", valueName: "type"))
    var type: [String] = []

    @Option(help: ArgumentHelp("Only events caused by this actor (repeatable).", valueName: "user-id"))
    var actor: [String] = []

    @Option(help: ArgumentHelp("Only events recorded at or after TIME.", valueName: "time"))
    var since: String?

    @Option(help: ArgumentHelp("Only events recorded at or before TIME.", valueName: "time"))
    var until: String?

    @Option(help: ArgumentHelp("From this position (inclusive).", valueName: "position"))
    var from: UInt64 = 1

    @Option(help: ArgumentHelp("Up to this position (inclusive).", valueName: "position"))
    var to: UInt64?

    @Option(help: ArgumentHelp("Only the last N matching events.", valueName: "n"))
    var last: Int?

    @Option(help: "table (default) or jsonl (one JSON object per event).")
    var format: Format = .table

    @Flag(help: "Include each event's payload (personal data).")
    var showPayload = false

    mutating func validate() throws {
        if let since, Timestamps.micros(parsing: since) == nil { throw ValidationError("--since '\(since)' is not an ISO-8601 time.") }
        if let until, Timestamps.micros(parsing: until) == nil { throw ValidationError("--until '\(until)' is not an ISO-8601 time.") }
        if let to, to < from { throw ValidationError("--to must not be before --from.") }
        if let last, last < 1 { throw ValidationError("--last must be at least 1.") }
    }

    var filter: EventFilter {
        EventFilter(streams: stream.isEmpty ? nil : Set(stream), types: type.isEmpty ? nil : Set(type),
                    actors: actor.isEmpty ? nil : Set(actor), untilPosition: to,
                    untilMicros: until.flatMap(Timestamps.micros(parsing:)), sinceMicros: since.flatMap(Timestamps.micros(parsing:)))
    }

    func run() throws {
        let log = try Store(storeOptions).openForReading()
        let printer = AuditPrinter(format: format, showPayload: showPayload)
        if let last {
            printer.lines(try Self.read(log, from: from, filter: filter, last: last)).forEach(StandardStreams.out)
            return
        }
        // Streams through the log: memory stays flat however long it is (table widths come from the first rows).
        var pending: [RecordedEvent] = []
        var widths: [Int]?
        do throws(EventLogError) {
            // Named streams or actors: only the frames the audit index points at. Else decoded on background
            // threads while this one formats and prints (same events, same order).
            let cursor: any EventCursor = filter.streams != nil || filter.actors != nil
                ? try log.events(from: from, filter: filter) : try log.readInParallel(from: from, filter: filter)
            while let event = try cursor.next() {
                if format == .jsonl {
                    StandardStreams.out(printer.json(event))
                } else if let widths {
                    StandardStreams.out(printer.tableRow(event, widths: widths))
                } else {
                    pending.append(event)
                    if pending.count == 1_000 {
                        let head = printer.tableHead(pending)
                        head.lines.forEach(StandardStreams.out)
                        widths = head.widths
                        pending = []
                    }
                }
            }
        } catch {
            throw ApplicationError(log: error)
        }
        if format == .table, widths == nil { printer.lines(pending).forEach(StandardStreams.out) }
    }

    /// The last `last` matching events in log order (memory bounded by `last`; through the audit index
    /// when streams or actors are named).
    static func read(_ log: EventLog, from: UInt64, filter: EventFilter, last: Int) throws(ApplicationError) -> [RecordedEvent] {
        do throws(EventLogError) {
            return try log.lastEvents(last, from: from, filter: filter)
        } catch {
            throw ApplicationError(log: error)
        }
    }
}
