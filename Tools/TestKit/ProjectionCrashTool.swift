import EventLog
import Foundation
import Marketplace
import Projections
import Workload

/// `teamlog-testkit project <make-log|catch-up|rebuild|verify> --store DIR --events N [--batch K] [--parallel 0|1]`
///
/// The crash tests' child. `make-log` writes the reference workload (seed 7, about N events, produced by
/// the marketplace's commands) into a file-backed log in DIR and prints `done <head>`. The other modes
/// open that log read-only, print `ready <head>`, then:
/// - `catch-up`: catches the views of DIR up, K events per transaction, printing `checkpoint P` per batch,
///   then `done P`;
/// - `rebuild`: rebuilds every view from the whole log, printing `position P` per batch, then `done P`;
/// - `verify`: for each view, compares its rows with a clean projection of the log up to its checkpoint,
///   printing `verified <view> <checkpoint>` or `MISMATCH <view> <checkpoint>`, then `done <head>`.
enum ProjectionCrashTool {
    struct Usage: Error, CustomStringConvertible {
        var description: String { "usage: teamlog-testkit project catch-up|rebuild|verify --store DIR --events N [--batch K]" }
    }

    static func run(_ arguments: [String]) throws {
        guard let mode = arguments.first else { throw Usage() }
        var store: String?
        var events = 10_000
        var batch = 200
        var parallel = true
        var rest = arguments.dropFirst()
        while let flag = rest.popFirst() {
            guard let value = rest.popFirst() else { throw Usage() }
            switch flag {
            case "--store": store = value
            case "--events": events = Int(value) ?? events
            case "--batch": batch = Int(value) ?? batch
            case "--parallel": parallel = value != "0"
            default: throw Usage()
            }
        }
        guard let store else { throw Usage() }
        if mode == "make-log" {
            let log = try EventLog.open(directory: store, options: EventLogOptions(durability: .osBuffered))
            try WorkloadRunner.run(seed: 7, targetEvents: events, into: try Marketplace(store: log))
            say("done \(try log.head().position)")
            log.close()
            return
        }
        // The file-backed log made by `make-log`, else the in-memory fixture (for quick manual runs).
        let log: any EventStore
        if let file = try? EventLog.open(directory: store, options: .readOnly) {
            log = file
        } else {
            log = try FixtureHistory.makeStore(events: events)
        }
        let head = try log.head().position
        say("ready \(head)")
        switch mode {
        case "catch-up":
            let runner = try ProjectionRunner(storeDirectory: store, options: ProjectionRunnerOptions(
                batchSize: batch, missingViews: .createEmpty,
                progress: { say("checkpoint \($0.position)") }))
            try runner.catchUp(log)
        case "rebuild":
            let runner = try ProjectionRunner(storeDirectory: store, options: ProjectionRunnerOptions(
                batchSize: batch, parallel: parallel, progress: { say("position \($0.position)") }))
            let report = try runner.rebuild(log)
            say("rebuilt \(report.eventsRead) events in \(report.seconds) s: \(Int(report.eventsPerSecond)) events/s")
        case "verify":
            try verify(store: store, log: log)
        default:
            throw Usage()
        }
        say("done \(head)")
    }

    private static func verify(store: String, log: any EventStore) throws {
        let scratch = NSTemporaryDirectory() + "teamlog-verify-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let views = (store as NSString).appendingPathComponent("views")
        let reference = try ProjectionRunner(storeDirectory: scratch)
        for projection in ReadModels.all {
            let path = (views as NSString).appendingPathComponent("\(projection.name).sqlite")
            guard let (checkpoint, fingerprint) = try ProjectionRunner.fingerprint(ofFile: path, projection: projection) else {
                say("missing \(projection.name)")
                continue
            }
            let out = (scratch as NSString).appendingPathComponent("\(projection.name)-\(checkpoint.position).sqlite")
            let replay = try reference.replay(log, asOf: .position(checkpoint.position), output: out, views: [projection.name])
            let verdict = replay.fingerprints[projection.name] == fingerprint ? "verified" : "MISMATCH"
            say("\(verdict) \(projection.name) \(checkpoint.position)")
        }
    }

    private static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
