import Application
import ArgumentParser
import EventLog
import Projections

/// `teamlog status`: the log's head and each view's checkpoint, lag and schema version.
struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the log head and each view's checkpoint, lag, schema version and fingerprint.",
        discussion: "Does not catch views up (a query or `teamlog rebuild` does).\n\nExamples:\n  teamlog status\n  teamlog status --format json")

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: "table (default) or json.")
    var format: ReportFormat = .table

    func run() throws {
        let store = Store(storeOptions)
        let log = try store.openForReading()
        let head: LogHead
        do throws(EventLogError) { head = try log.head() } catch { throw ApplicationError(log: error) }
        let runner = try store.openRunner()
        defer { runner.close() }
        let views: [ViewStatus]
        do throws(ProjectionError) { views = try runner.status(log) } catch { throw ApplicationError(projection: error) }
        switch format {
        case .json: StandardStreams.out(json(store: store, log: log, head: head, views: views))
        case .table: table(store: store, log: log, head: head, views: views).forEach(StandardStreams.out)
        }
        let ahead = views.filter { $0.aheadOfLog > 0 }
        if !ahead.isEmpty {
            let names = ahead.map(\.name)
            throw ApplicationError(.damaged, "\(names.joined(separator: ", ")): ahead of the log (the checkpoint is above the log's head "
                           + "\(head.position): the view shows events the log no longer holds), so not served. Run `teamlog verify` "
                           + "to check the log, then `teamlog rebuild \(names.joined(separator: " "))` to rebuild from the log.")
        }
    }

    private func state(_ view: ViewStatus) -> String {
        if view.aheadOfLog > 0 { return "AHEAD OF THE LOG (\(view.aheadOfLog) events the log no longer holds)" }
        return view.needsRebuild ? "rebuild pending" : "ok"
    }

    private func version(_ view: ViewStatus) -> String {
        guard let stored = view.storedSchemaVersion, stored != view.schemaVersion else { return String(view.schemaVersion) }
        return "\(stored) (code \(view.schemaVersion))"
    }

    private func table(store: Store, log: EventLog, head: LogHead, views: [ViewStatus]) -> [String] {
        var lines = ["store: \(store.directory) (\(log.storeId))",
                     "log head: position \(head.position), \(head.commits) commits, hash \(head.hashHex)", ""]
        let cells = views.map { view in
            [view.name, version(view), String(view.checkpoint), view.lag.map(String.init) ?? "?",
             String(view.rowCounts.values.reduce(0, +)), state(view),
             view.fingerprint.map { String($0.prefix(16)) } ?? ""]
        }
        lines += TableText.lines(columns: ["view", "schema", "checkpoint", "lag", "rows", "state", "fingerprint"], cells: cells)
        return lines
    }

    private func json(store: Store, log: EventLog, head: LogHead, views: [ViewStatus]) -> String {
        StatusJSON.object(store: store.directory, storeId: log.storeId.description, head: head, views: views)
    }
}
