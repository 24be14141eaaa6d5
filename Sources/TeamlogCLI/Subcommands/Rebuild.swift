import Application
import ArgumentParser
import Projections
import Foundation

/// `teamlog rebuild [VIEW…]`: rebuilds views from the whole log; the live files keep answering meanwhile.
struct Rebuild: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rebuild read models from the whole log (all, or the views named).",
        discussion: """
            Each view is built into a new file while the old one keeps answering queries, then swapped in.
            Views: \(ReadModels.all.map(\.name).joined(separator: ", ")).

            Examples:
              teamlog rebuild
              teamlog rebuild inbox team_roster
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: ArgumentHelp("Views to rebuild (default: all).", valueName: "view"))
    var views: [String] = []

    func run() throws {
        let store = Store(storeOptions)
        let log = try store.openForReading()
        let bar = ProgressBar("rebuild")
        let runner = try store.openRunner(progress: ViewProgress.callback(bar))
        defer { runner.close() }
        let report: RebuildReport
        do throws(ProjectionError) {
            report = try runner.rebuild(log, views: views.isEmpty ? nil : views)
        } catch {
            bar.finish()
            throw ApplicationError(projection: error)
        }
        bar.finish()
        let cells = report.views.map { [$0.view, String($0.toSchemaVersion), String($0.position), String($0.fingerprint.prefix(16))] }
        TableText.lines(columns: ["view", "schema", "checkpoint", "fingerprint"], cells: cells).forEach(StandardStreams.out)
        StandardStreams.out(String(format: "rebuilt %d view(s) from %llu events in %.2f s (%.0f events/s)",
                                   report.views.count, report.eventsRead, report.seconds, report.eventsPerSecond))
    }
}
