import Application
import ArgumentParser
import EventLog
import Foundation
import Marketplace
import Projections
import Workload

/// `teamlog demo`: the seed story through real commands, a generated history, then a tour.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load a realistic history into a new store and print a tour of the views and the audit trail.",
        discussion: """
            Runs the seed workflows (an affiliate manager's invitations, a private job with an interview and a
            team invitation by user id, a buyer inviting a provider with his team room) as real commands, then
            the reference workload generator (--events, default 20000), then shows status, queries and the
            last lines of the audit trail, and verify's head hash. The store must be new or empty.

            Example:
              teamlog demo --store /tmp/teamlog-demo
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: ArgumentHelp("Events the workload generator adds after the seed story.", valueName: "n"))
    var events = 20_000

    @Option(help: ArgumentHelp("The generator's seed (same seed, same history).", valueName: "n"))
    var seed: UInt64 = 42

    mutating func validate() throws {
        guard events >= 0 else { throw ValidationError("--events must be zero or more.") }
    }

    func run() throws {
        let store = Store(storeOptions)
        try refuseNonEmpty(store.directory)
        let started = Date()
        let log = try store.openForWriting()
        // Through the command id registry, as every command: a later retry of a seed command id is told apart.
        let execution = CommandExecution(market: try store.openMarketplace(log),
                                         ids: try CommandIdGuard.open(storeDirectory: store.directory, log: log))
        var items: [CommandExecution.Item] = []
        for (index, line) in SeedStory.lines.enumerated() {
            items.append(.init(line: index + 1, envelope: Result { () throws(CommandRejection) in try CommandEnvelope.parse(jsonLine: line) }))
        }
        for outcome in try execution.run(items, includeLine: true) {
            if let error = outcome.error { throw ApplicationError(error.status == .rejected ? .failure : error.status, "the seed story failed at line \(outcome.line): \(error.message)") }
        }
        StandardStreams.out("== Seed story: \(SeedStory.lines.count) commands applied")
        if events > 0 {
            let bar = ProgressBar("workload")
            let report: WorkloadRunner.Report
            do throws(MarketplaceError) {
                report = try WorkloadRunner.run(seed: seed, targetEvents: events, into: execution.market) { step in
                    bar.update(done: step.events, total: UInt64(events))
                }
            } catch {
                bar.finish()
                throw ApplicationError(market: error)
            }
            bar.finish()
            StandardStreams.out("== Workload (seed \(seed)): \(report.commands) commands, \(report.accepted) accepted, \(report.events) events")
        }
        execution.checkpoint()
        log.close()
        try DemoTour(store: store).print()
        StandardStreams.out("")
        StandardStreams.out(String(format: "Done in %.1f s. Explore: teamlog --store %@ query inbox u-sam", Date().timeIntervalSince(started), store.directory))
    }

    private func refuseNonEmpty(_ directory: String) throws(ApplicationError) {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        guard entries.isEmpty else {
            throw ApplicationError(.usage, "the demo needs a new or empty store, and \(directory) is not empty: give another --store")
        }
    }
}
