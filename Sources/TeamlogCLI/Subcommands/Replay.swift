import Application
import ArgumentParser
import Foundation
import Projections

/// `teamlog replay --as-of TIME|POSITION --out FILE`: the views as they were at a moment, in a separate file.
struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build the read models as of a time or position into a separate SQLite file (for audits).",
        discussion: """
            The live views are not touched; an output inside the store (also through links or ..) is
            refused (exit 64). The output holds every view's tables, one checkpoint row per
            view and a replay_info row; query it with the stock sqlite3 tool.

            Examples:
              teamlog replay --as-of 1200 --out /tmp/as-of-1200.sqlite
              teamlog replay --as-of 2024-05-01T12:00:00Z --out /tmp/noon.sqlite
              sqlite3 /tmp/noon.sqlite "SELECT * FROM team_members WHERE team_id = 't-acme'"
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: ArgumentHelp("A log position (a whole number) or an ISO-8601 time.", valueName: "time|position"))
    var asOf: String

    @Option(help: ArgumentHelp("The SQLite file to write (outside the store).", valueName: "file"))
    var out: String

    @Option(help: ArgumentHelp("Only this view (repeatable; default all).", valueName: "view"))
    var view: [String] = []

    @Flag(help: "Replace the output file when it exists.")
    var overwrite = false

    var point: ReplayPoint? {
        if let position = UInt64(asOf) { return .position(position) }
        return Timestamps.micros(parsing: asOf).map { .time(micros: $0) }
    }

    mutating func validate() throws {
        guard point != nil else {
            throw ValidationError("--as-of '\(asOf)' is neither a position (a whole number) nor an ISO-8601 time such as 2024-05-01T12:00:00Z.")
        }
    }

    /// The output's directory must exist and take new files (SQLite would only say "unable to open").
    static func checkWritableDirectory(of output: String) throws(ApplicationError) {
        let directory = (output as NSString).deletingLastPathComponent
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ApplicationError(.ioError, "cannot write the replay to \(output): the directory \(directory) does not exist; create it or choose another --out")
        }
        guard access(directory, W_OK | X_OK) == 0 else {
            let code = errno
            throw ApplicationError(.ioError, "cannot write the replay to \(output): \(String(cString: strerror(code))) (errno \(code)) for \(directory); choose another --out")
        }
    }

    /// The output must not lead inside the store (through links of the file or of any parent, or `..`):
    /// replacing it would destroy a segment, the store's id, its index, its state, its lock or a live view.
    static func checkOutsideStore(_ output: String, given: String, store: String) throws(ApplicationError) {
        let resolvedStore = ResolvedPath.resolve(store)
        let resolved = ResolvedPath.resolve(output)
        guard ResolvedPath.isInside(resolved, directory: resolvedStore) else { return }
        let leads = resolved == output ? "" : ", as it leads to \(resolved)"
        let part = resolved.dropFirst(resolvedStore.count).split(separator: "/").first.flatMap { Self.storeParts[String($0)] }
        let among = part.map { " (\($0))" } ?? ""
        throw ApplicationError(.usage, "--out \(given) is inside the store \(resolvedStore)\(among)\(leads): choose a path outside it")
    }

    /// What the store's entries are, for messages.
    static let storeParts = ["log": "its log", "index": "the log's index", "state": "the decision state",
                             "views": "the live views", "store.id": "the store's id", "lock": "the write lock"]

    func run() throws {
        guard let point else { throw ValidationError("--as-of needs a position or a time.") }
        let store = Store(storeOptions)
        let output = out.hasPrefix("/") ? out : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(out)
        // Before anything opens the store (opening the runner may create files in it).
        try Self.checkOutsideStore(output, given: out, store: store.directory)
        let log = try store.openForReading()
        let bar = ProgressBar("replay")
        let runner = try store.openRunner(progress: ViewProgress.callback(bar))
        defer { runner.close() }
        try Self.checkWritableDirectory(of: output)
        let report: ReplayReport
        do throws(ProjectionError) {
            report = try runner.replay(log, asOf: point, output: output, views: view.isEmpty ? nil : view, overwrite: overwrite)
        } catch {
            bar.finish()
            throw ApplicationError(projection: error)
        }
        bar.finish()
        let moment = report.recordedAtMicros > 0 ? " (recorded \(Timestamps.iso(micros: report.recordedAtMicros)))" : ""
        StandardStreams.out("replayed \(report.eventsRead) events as of \(asOf): the views at position \(report.position)\(moment)")
        StandardStreams.out("wrote \(report.output)")
        let cells = report.fingerprints.sorted { $0.key < $1.key }.map { [$0.key, $0.value] }
        TableText.lines(columns: ["view", "fingerprint"], cells: cells).forEach(StandardStreams.out)
    }
}
