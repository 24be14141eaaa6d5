import EventLog
import Events
public import Marketplace

/// Runs a generated workload through a `Marketplace` (so the history is produced by real commands).
public enum WorkloadRunner {
    public struct Report: Sendable, Hashable {
        public var commands = 0
        public var accepted = 0
        public var rejected = 0
        public var conflicts = 0
        public var duplicates = 0
        public var events: UInt64 = 0
        /// Rejections by code (the generator means every command to be accepted).
        public var rejectionsByCode: [String: Int] = [:]
    }

    /// Generates `targetEvents` events from `seed` and executes them in batches of `batchSize` commands.
    /// `progress` is called after each batch with the report so far.
    @discardableResult
    public static func run(seed: UInt64, targetEvents: Int, into market: Marketplace, batchSize: Int = 1_000,
                           progress: (Report) -> Void = { _ in }) throws(MarketplaceError) -> Report {
        var generator = WorkloadGenerator(seed: seed, targetEvents: targetEvents)
        var report = Report()
        while let batch = generator.nextBatch(maxCommands: batchSize) {
            let results = try market.executeBatch(batch)
            tally(results, into: &report)
            progress(report)
            // A command the log or the state could not take (a full disk…) ends the run: carrying on
            // would report events that were never written.
            for case .failure(let error) in results {
                switch error {
                case .rejected, .conflict: continue
                default: throw error
                }
            }
        }
        try market.checkpoint()
        return report
    }

    static func tally(_ results: [Result<CommandOutcome, MarketplaceError>], into report: inout Report) {
        for result in results {
            report.commands += 1
            switch result {
            case .success(let outcome):
                if outcome.isDuplicate { report.duplicates += 1 } else {
                    report.accepted += 1
                    report.events += UInt64(outcome.events.count)
                }
            case .failure(.rejected(let rejection)):
                report.rejected += 1
                report.rejectionsByCode[rejection.code.rawValue, default: 0] += 1
            case .failure(.conflict):
                report.conflicts += 1
            case .failure:
                report.rejected += 1
            }
        }
    }
}
