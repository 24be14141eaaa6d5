import Application
import ArgumentParser
import EventLog
import Foundation

/// `teamlog stats`: sizes and counts from a full read of the log.
struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show events, commits, bytes, compression ratio and counts per event type.",
        discussion: "Examples:\n  teamlog stats\n  teamlog stats --format json")

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: "table (default) or json.")
    var format: ReportFormat = .table

    func run() throws {
        let log = try Store(storeOptions).openForReading()
        let progress = ProgressBar("stats")
        let stats: LogStatistics
        do throws(EventLogError) {
            stats = try log.statistics { step in progress.update(done: step.position, total: step.headPosition) }
        } catch {
            progress.finish()
            throw ApplicationError(log: error)
        }
        progress.finish()
        let perEvent = stats.events == 0 ? 0 : Double(stats.compressedBytes) / Double(stats.events)
        let types = stats.eventsPerType.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        let figures: [(String, String)] = [
            ("events", String(stats.events)), ("commits", String(stats.commits)), ("streams", String(stats.streams)),
            ("segments", String(stats.segments)), ("compressed_bytes", String(stats.compressedBytes)),
            ("decompressed_bytes", String(stats.decompressedBytes)), ("payload_bytes", String(stats.payloadBytes)),
            ("compression_ratio", String(format: "%.2f", stats.compressionRatio)),
            ("bytes_per_event", String(format: "%.1f", perEvent)),
        ]
        switch format {
        case .json:
            var pairs = figures
            pairs.append(("first_recorded_at", stats.firstRecordedAtMicros.map { JSONText.string(Timestamps.iso(micros: $0)) } ?? "null"))
            pairs.append(("last_recorded_at", stats.lastRecordedAtMicros.map { JSONText.string(Timestamps.iso(micros: $0)) } ?? "null"))
            pairs.append(("events_per_type", JSONText.object(types.map { ($0.key, String($0.value)) })))
            StandardStreams.out(JSONText.object(pairs))
        case .table:
            for line in TableText.lines(columns: ["figure", "value"], cells: figures.map { [$0.0, $0.1] }) { StandardStreams.out(line) }
            StandardStreams.out("")
            for line in TableText.lines(columns: ["event_type", "count"], cells: types.map { [$0.key, String($0.value)] }) {
                StandardStreams.out(line)
            }
        }
    }
}
