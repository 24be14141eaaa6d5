import EventLog
import Events
import Foundation
import Marketplace
import Workload

/// `teamlog-bench commands`: runs the reference workload's commands through the library in one
/// process, in batches of 1,000 commands appended with `appendBatch` (one durable write per batch),
/// and reports commands per second. By default batches are pipelined (`submitBatch`: the next batch is
/// decided while the previous one is written and synced); `--serial` runs each batch to the end first.
/// Generation time is excluded (commands are generated ahead of each batch and the clock runs only
/// around the marketplace's calls).
enum CommandsBenchmark {
    static func run(events: Int, json: Bool, storeDirectory: String, serial: Bool) throws {
        let store = try openStore(storeDirectory)
        let stateDirectory = storeDirectory.isEmpty ? "" : storeDirectory
        let market: Marketplace
        if stateDirectory.isEmpty {
            market = try Marketplace(store: store)
        } else {
            market = try Marketplace.open(store: store, storeDirectory: stateDirectory)
        }
        var generator = WorkloadGenerator(seed: 1, targetEvents: events)
        var commands = 0, rejected = 0
        var elapsed: UInt64 = 0
        var threadCPU: UInt64 = 0
        func count(_ completed: [Marketplace.BatchResults]) {
            for results in completed {
                commands += results.count
                rejected += results.filter { if case .failure = $0 { return true } else { return false } }.count
            }
        }
        while let batch = generator.nextBatch(maxCommands: 1_000) {
            let start = DispatchTime.now().uptimeNanoseconds
            let cpuStart = threadCPUNanoseconds()
            if serial {
                count([try market.executeBatch(batch)])
            } else {
                count(try market.submitBatch(batch))
            }
            threadCPU += threadCPUNanoseconds() - cpuStart
            elapsed += DispatchTime.now().uptimeNanoseconds - start
        }
        let start = DispatchTime.now().uptimeNanoseconds
        count(try market.completeSubmitted())
        try market.checkpoint()
        elapsed += DispatchTime.now().uptimeNanoseconds - start
        let seconds = Double(elapsed) / 1e9
        let perSecond = Double(commands) / seconds
        let appended = try store.head().position
        let rss = BenchSupport.peakRSSMegabytes()
        if json {
            print(#"{"bench": "commands", "system": "teamlog", "mode": "\#(serial ? "serial" : "pipelined")", "commands": \#(commands), "commands_per_s": \#(Int(perSecond)), "caller_cpu_us_per_command": \#(Double(threadCPU) / 1e3 / Double(commands)), "peak_rss_mb": \#(Int(rss))}"#)
        } else {
            print("commands benchmark (reference workload, seed 1, batches of 1,000 commands, one appendBatch each, "
                  + (serial ? "serial: executeBatch)" : "pipelined: submitBatch)"))
            print(String(format: "  commands      %10d  (%d rejected)", commands, rejected))
            print(String(format: "  events        %10d", appended))
            print(String(format: "  time          %10.2f s", seconds))
            print(String(format: "  commands/s    %10.0f", perSecond))
            print(String(format: "  events/s      %10.0f", Double(appended) / seconds))
            print(String(format: "  peak RSS      %10.0f MB", rss))
            // On a shared machine the wall clock includes waiting for a core: the calling thread's CPU
            // time per command is the steadier figure (the log's fsyncs and the state's background
            // writer are not in it).
            print(String(format: "  caller CPU    %10.1f us/command (%.0f commands per CPU-second)",
                         Double(threadCPU) / 1e3 / Double(commands), Double(commands) / (Double(threadCPU) / 1e9)))
        }
    }

    /// The file-backed log (durable: fsync per batch) in `directory`; an in-memory store when none is given.
    static func openStore(_ directory: String) throws -> any EventStore {
        guard !directory.isEmpty else { return InMemoryEventStore() }
        return try EventLog.open(directory: directory, options: EventLogOptions())
    }

    static func threadCPUNanoseconds() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }
}

import ArgumentParser

struct CommandsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "commands",
        abstract: "Runs the reference workload's commands through the marketplace in durable batches of 1,000; reports commands per second.")

    @Option(help: "How many events the workload produces.") var events = 1_000_000
    @Flag(help: "One JSON object per line instead of a table.") var json = false
    @Option(help: "Scratch store directory (emptied first).") var dir = FileManager.default.temporaryDirectory.path + "/teamlog-bench-commands"
    @Flag(help: "Execute each batch to the end before deciding the next (executeBatch) instead of pipelining (submitBatch).")
    var serial = false

    func run() throws {
        try? FileManager.default.removeItem(atPath: dir)
        try CommandsBenchmark.run(events: events, json: json, storeDirectory: dir, serial: serial)
        try? FileManager.default.removeItem(atPath: dir)
    }
}

struct DecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "decode", abstract: "Event decoding throughput: fast reader vs JSONDecoder.")

    @Option(help: "How many events.") var events = 200_000

    func run() throws {
        try DecodeBenchmark.run(events: events)
    }
}
