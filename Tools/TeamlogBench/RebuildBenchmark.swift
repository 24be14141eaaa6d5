import ArgumentParser
import EventLog
import Foundation
import Marketplace
import Projections
import Workload

/// `Tools/bench rebuild`: a full rebuild of every read model from the reference workload's log.
///
/// The log (`<store>/`, file-backed) is generated once by running the workload's commands (seed 1) and
/// reused by later runs that ask for the same size. The rebuild runs in a child process, so its peak
/// memory (VmHWM) is its own: it opens the log read-only, deletes the views, rebuilds them
/// all (reading the log once) and reports events per second, time included up to the views being
/// swapped in (query indexes, fingerprints and fsyncs included).
enum RebuildBenchmark {
    static func run(events: Int, json: Bool, storeDirectory: String) throws {
        let generated = try prepareLog(events: events, storeDirectory: storeDirectory, quiet: json)
        let lines = try BenchSupport.runChild(["rebuild-phase", "--dir", storeDirectory])
        guard let result = lines.last(where: { $0.hasPrefix("{") }),
              let object = try JSONSerialization.jsonObject(with: Data(result.utf8)) as? [String: Any] else {
            throw BenchError("the rebuild child printed no result")
        }
        let count = (object["events"] as? Int) ?? 0
        let rate = (object["events_per_s"] as? Double) ?? 0
        let rss = (object["peak_rss_mb"] as? Double) ?? 0
        if json {
            print(BenchSupport.json([("bench", "rebuild"), ("system", "teamlog"), ("events", count),
                                     ("events_per_s", rate), ("peak_rss_mb", rss)]))
        } else {
            print("rebuild benchmark (reference workload, seed 1: \(count) events\(generated ? ", generated now" : ", log reused"))")
            print(String(format: "  views         %10d (all, one read of the log)", ReadModels.all.count))
            print(String(format: "  time          %10.2f s", (object["seconds"] as? Double) ?? 0))
            print(String(format: "  events/s      %10.0f", rate))
            print(String(format: "  peak RSS      %10.0f MB", rss))
        }
    }

    /// Makes sure `<store>` holds the reference workload's log of about `events` events; true if generated now.
    static func prepareLog(events: Int, storeDirectory: String, quiet: Bool) throws -> Bool {
        let marker = (storeDirectory as NSString).appendingPathComponent("bench-workload.txt")
        let wanted = "seed 1, target \(events) events\n"
        if (try? String(contentsOfFile: marker, encoding: .utf8)) == wanted { return false }
        try? FileManager.default.removeItem(atPath: storeDirectory)
        try FileManager.default.createDirectory(atPath: storeDirectory, withIntermediateDirectories: true)
        if !quiet { print("generating the reference workload (\(events) events) in \(storeDirectory)…") }
        let log = try EventLog.open(directory: storeDirectory, options: EventLogOptions(durability: .osBuffered))
        let market = try Marketplace(store: log)
        try WorkloadRunner.run(seed: 1, targetEvents: events, into: market)
        log.close()
        try wanted.write(toFile: marker, atomically: true, encoding: .utf8)
        return true
    }

    /// The child: rebuilds every view of the store's log and prints one JSON line.
    static func runPhase(storeDirectory: String) throws {
        let log = try EventLog.open(directory: storeDirectory, options: .readOnly)
        let views = (storeDirectory as NSString).appendingPathComponent("views")
        try? FileManager.default.removeItem(atPath: views)
        let runner = try ProjectionRunner(storeDirectory: storeDirectory)
        let report = try runner.rebuild(log)
        runner.close()
        print(BenchSupport.json([("bench", "rebuild"), ("system", "teamlog"), ("events", Int(report.eventsRead)),
                                 ("events_per_s", report.eventsPerSecond), ("seconds", report.seconds),
                                 ("peak_rss_mb", BenchSupport.peakRSSMegabytes())]))
    }
}

struct RebuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild",
        abstract: "Rebuilds every read model from the reference workload's log; reports events per second and peak memory.")

    @Option(help: "How many events the workload produces.") var events = 1_000_000
    @Flag(help: "One JSON object per line instead of a table.") var json = false
    @Option(help: "Store directory for the generated log (kept and reused for the same size).")
    var dir = FileManager.default.temporaryDirectory.path + "/teamlog-bench-rebuild"

    func run() throws {
        try RebuildBenchmark.run(events: events, json: json, storeDirectory: dir + "-\(events)")
    }
}

struct RebuildPhaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rebuild-phase", abstract: "The rebuild benchmark's child (internal).",
                                                    shouldDisplay: false)
    @Option var dir: String

    func run() throws {
        try RebuildBenchmark.runPhase(storeDirectory: dir)
    }
}
