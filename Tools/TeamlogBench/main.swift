import ArgumentParser
import Foundation

/// teamlog-bench: the benchmarks behind `Tools/bench`. Timings live here, never in tests.
struct TeamlogBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "teamlog-bench",
        abstract: "Teamlog's benchmarks (run through Tools/bench).",
        subcommands: [LogCommand.self, LogPhaseCommand.self, CommandsCommand.self, DecodeCommand.self,
                      RebuildCommand.self, RebuildPhaseCommand.self, AuditPrepareCommand.self])
}

struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Appends realistic events in durable batches of 1,000 and reads them back, against the SQLite baseline.")

    @Option(help: "How many events.") var events = 1_000_000
    @Option(help: "Events per commit inside each batch of 1,000.") var eventsPerCommit = 1
    @Flag(help: "One JSON object per line instead of a table.") var json = false
    @Option(help: "Scratch directory (emptied first).") var dir = FileManager.default.temporaryDirectory.path + "/teamlog-bench-log"

    func run() throws {
        try LogBenchmark.run(events: events, json: json, directory: dir, eventsPerCommit: eventsPerCommit)
        try? FileManager.default.removeItem(atPath: dir)
    }
}

struct LogPhaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "log-phase", abstract: "One phase of the log benchmark (internal).",
                                                    shouldDisplay: false)
    @Option var system: String
    @Option var phase: String
    @Option var events: Int
    @Option var dir: String
    @Option var eventsPerCommit = 1

    func run() throws {
        try LogBenchmark.runPhase(system: system, phase: phase, events: events, directory: dir, eventsPerCommit: eventsPerCommit)
    }
}

TeamlogBench.main()
