import Foundation
import Workload
import Marketplace

/// `teamlog-testkit crash --teamlog PATH [--kills N] [--commands N] [--seed S] [--work DIR]`: the crash
/// script's driver (Tools/crash). Runs `teamlog exec` over a generated command stream and SIGKILLs it at
/// random instants N times, resuming each time a little before the last acknowledged command; after each
/// kill, `teamlog verify` passes, the log is a whole-commit prefix of a clean run's log, and every
/// acknowledged command is in it exactly once. A finished stream's log and views equal the clean run's.
/// Then the same for `teamlog rebuild` and `teamlog replay`, while the live views keep answering.
struct CrashDriver {
    struct Options {
        var teamlog = ""
        var kills = 20
        var commands = 5_000
        var seed: UInt64 = 1
        var work: String?
    }

    /// What was done and checked, for the summary line.
    struct Tally {
        var execKills = 0, passes = 0, tornTails = 0, catchUpKills = 0, rebuildKills = 0, replayKills = 0
        var acknowledged = 0, checks = 0, duplicates = 0
    }

    struct Expected {
        var ok: Bool
        var positions: [Int]?
        var code: String?
        var duplicate = false
    }

    let options: Options
    let work: String
    var random: SeededRandom
    var tally = Tally()
    var lines: [String] = []
    var commandIds: [String] = []
    var expected: [Int: Expected] = [:]
    var cleanSeconds = 0.0
    var cleanCommits: [StoreContents.Commit] = []
    var cleanViews: [String: [String]] = [:]

    static func run(_ arguments: [String]) throws {
        var options = Options()
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            guard let value = rest.popFirst() else { throw TestKitError("\(flag) needs a value") }
            switch flag {
            case "--teamlog": options.teamlog = value
            case "--kills": options.kills = Int(value) ?? options.kills
            case "--commands": options.commands = Int(value) ?? options.commands
            case "--seed": options.seed = UInt64(value) ?? options.seed
            case "--work": options.work = value
            default: throw TestKitError("usage: teamlog-testkit crash --teamlog PATH [--kills N] [--commands N] [--seed S] [--work DIR]")
            }
        }
        guard !options.teamlog.isEmpty else { throw TestKitError("crash needs --teamlog PATH") }
        var driver = try CrashDriver(options: options)
        try driver.runAll()
    }

    init(options: Options) throws {
        self.options = options
        work = options.work ?? NSTemporaryDirectory() + "teamlog-crash-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        random = SeededRandom(seed: options.seed)
    }

    mutating func runAll() throws {
        defer { if options.work == nil { try? FileManager.default.removeItem(atPath: work) } }
        try cleanRun()
        let store = try execKills()
        try rebuildKills(store: store)
        try replayKills(store: store)
        say("crash: survived \(tally.execKills) kills of exec (\(tally.passes) whole stream(s) of \(lines.count) commands, "
            + "\(tally.tornTails) torn tails cut, \(tally.catchUpKills) view catch-ups killed too), \(tally.rebuildKills) of rebuild, "
            + "\(tally.replayKills) of replay; \(tally.acknowledged) acknowledged commands, \(tally.checks) checks after kills, "
            + "\(tally.duplicates) re-sent and answered as duplicates; nothing lost, no partial commit, views equal the clean run's")
    }

    func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    func teamlog(_ arguments: [String], store: String) throws -> Child.Result {
        try Child.run(options.teamlog, arguments + ["--store", store])
    }

    /// A number in [0, upTo).
    mutating func uniform(_ upTo: Double) -> Double {
        Double(random.below(1_000_000)) / 1_000_000 * upTo
    }

    // MARK: The clean run

    /// The stream, run once without kills: what every line must answer, the log and the views to reach.
    mutating func cleanRun() throws {
        var generator = WorkloadGenerator(seed: options.seed, targetEvents: options.commands * 10)
        while lines.count < options.commands, let batch = generator.nextBatch(maxCommands: min(1_000, options.commands - lines.count)) {
            lines += batch.map { $0.jsonLine() }
            commandIds += batch.map { $0.commandId ?? "" }
        }
        let path = try streamFile(from: 1)
        let clean = work + "/clean"
        let started = Date()
        let result = try teamlog(["exec", path], store: clean)
        cleanSeconds = Date().timeIntervalSince(started)
        guard !result.killed, result.status == 0 || result.status == 2 else { throw TestKitError("the clean run failed: \(result.stderr)") }
        for line in result.wholeLines {
            let (number, outcome) = try Self.parse(line)
            expected[number] = outcome
        }
        guard expected.count == lines.count else { throw TestKitError("the clean run answered \(expected.count) of \(lines.count) lines") }
        try catchUp(clean)
        cleanCommits = try StoreContents.commits(store: clean)
        cleanViews = try StoreContents.views(store: clean)
        say(String(format: "clean run: %d commands, %d commits, %.1f s", lines.count, cleanCommits.count, cleanSeconds))
    }

    /// The stream from line `first` on; earlier lines are left blank so line numbers stay the stream's.
    func streamFile(from first: Int) throws -> String {
        let path = work + "/stream.jsonl"
        let text = String(repeating: "\n", count: first - 1) + lines[(first - 1)...].joined(separator: "\n") + "\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func parse(_ line: Substring) throws -> (Int, Expected) {
        guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
              let number = object["line"] as? Int, let ok = object["ok"] as? Bool else {
            throw TestKitError("not a result line: \(line)")
        }
        return (number, Expected(ok: ok, positions: object["positions"] as? [Int], code: object["code"] as? String,
                                 duplicate: object["duplicate"] as? Bool ?? false))
    }

    /// Brings every view up to the log's head (a query does).
    func catchUp(_ store: String) throws {
        let result = try teamlog(["sql", "SELECT count(*) FROM users"], store: store)
        guard result.status == 0 else { throw TestKitError("catching the views up failed: \(result.stderr)") }
    }
}
