import ArgumentParser
import Foundation

/// `Tools/bench audit`: makes sure the rebuild benchmark's reference stores exist (the reference workload,
/// seed 1, kept in `<dir>-N` and reused for the same N), and prints each store's directory. The reads are
/// timed by `Tools/bench audit` itself, through the built `teamlog`, process start included.
struct AuditPrepareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit-prepare",
        abstract: "Generates (or reuses) the reference stores the audit benchmark reads; prints their directories.")

    @Option(help: "Sizes of the stores, in events (repeatable).") var events: [Int] = [1_000_000, 10_000_000]
    @Option(help: "Store directory prefix (the size is appended), shared with the rebuild benchmark.")
    var dir = FileManager.default.temporaryDirectory.path + "/teamlog-bench-rebuild"

    func run() throws {
        for count in events {
            let store = dir + "-\(count)"
            _ = try RebuildBenchmark.prepareLog(events: count, storeDirectory: store, quiet: true)
            print(store)
        }
    }
}
