import Foundation
import Workload

extension CrashDriver {
    /// Kills `exec` `options.kills` times; returns the store of the last pass, finished and checked.
    mutating func execKills() throws -> String {
        var pass = 0
        var store = work + "/crash-0"
        var resume = 1
        var acknowledged: [String: [Int]] = [:]
        while true {
            let path = try streamFile(from: resume)
            let batch = random.pick([1, 10, 100, 1_000])
            // The clean run wrote batches of 1,000: smaller ones take longer (one durable write each).
            let slower = batch == 1 ? 4.0 : batch == 10 ? 1.5 : 1.0
            let child = try Child(options.teamlog, ["exec", path, "--store", store, "--batch-size", String(batch), "--lock-timeout", "30"])
            let remaining = Double(lines.count - resume + 1) / Double(lines.count)
            let finishing = tally.execKills >= options.kills
            if !finishing { child.kill(after: uniform(0.05 + cleanSeconds * remaining * slower * 0.7)) }
            let result = child.wait()
            var last = resume - 1
            for line in result.wholeLines {
                let (number, outcome) = try Self.parse(line)
                try check(outcome, line: number)
                if outcome.ok, let positions = outcome.positions {
                    if acknowledged.updateValue(positions, forKey: commandIds[number - 1]) == nil { tally.acknowledged += 1 }
                }
                last = max(last, number)
            }
            if result.killed {
                tally.execKills += 1
                try checkAfterKill(store: store, acknowledged: acknowledged)
                if tally.execKills % 3 == 0 { try killACatchUp(store: store) }
                // Resume a little before the last acknowledged command: those are sent again as duplicates.
                resume = max(1, last + 1 - random.below(min(20, last) + 1))
                continue
            }
            guard result.status == 0 || result.status == 2 else { throw TestKitError("exec exited \(result.status): \(result.stderr)") }
            try checkFinished(store: store)
            tally.passes += 1
            if tally.execKills >= options.kills { return store }
            pass += 1
            try? FileManager.default.removeItem(atPath: store)
            store = work + "/crash-\(pass)"
            resume = 1
            acknowledged = [:]
        }
    }

    /// A result line must say what the clean run said of the same line (or that it is a duplicate of it).
    mutating func check(_ outcome: Expected, line: Int) throws {
        guard let clean = expected[line] else { throw TestKitError("exec answered line \(line), which the stream does not have") }
        guard outcome.ok == clean.ok, outcome.positions == clean.positions, outcome.code == clean.code else {
            throw TestKitError("line \(line) answered \(outcome) after kills, \(clean) in the clean run")
        }
        if outcome.duplicate { tally.duplicates += 1 }
    }

    /// After a kill: verify passes, the log is a prefix of the clean log (whole commits, same content) and
    /// every acknowledged command is in it exactly once, where it was acknowledged.
    mutating func checkAfterKill(store: String, acknowledged: [String: [Int]]) throws {
        guard Self.created(store) else {
            guard acknowledged.isEmpty else { throw TestKitError("the store is gone, with acknowledged commands") }
            return
        }
        let verified = try teamlog(["verify"], store: store)
        guard verified.status == 0 else { throw TestKitError("verify failed after kill \(tally.execKills): \(verified.stdout) \(verified.stderr)") }
        if verified.stdout.contains("torn tail") { tally.tornTails += 1 }
        let commits = try StoreContents.commits(store: store)
        guard commits.count <= cleanCommits.count else { throw TestKitError("the log has more commits than the clean run's") }
        for (commit, clean) in zip(commits, cleanCommits) where commit != clean {
            throw TestKitError("after kill \(tally.execKills): \(commit) differs from the clean run's \(clean)")
        }
        var byId: [String: StoreContents.Commit] = [:]
        for commit in commits {
            guard let id = commit.commandId else { continue }
            guard byId.updateValue(commit, forKey: id) == nil else { throw TestKitError("command \(id) is in the log twice") }
        }
        for (id, positions) in acknowledged {
            guard let commit = byId[id] else { throw TestKitError("acknowledged command \(id) is missing after kill \(tally.execKills)") }
            guard positions == [Int(commit.position), Int(commit.position) + commit.events - 1] else {
                throw TestKitError("acknowledged command \(id) at \(positions) is \(commit)")
            }
            tally.checks += 1
        }
    }

    /// A finished stream: the same log and views as the clean run.
    func checkFinished(store: String) throws {
        let verified = try teamlog(["verify"], store: store)
        guard verified.status == 0 else { throw TestKitError("verify failed on the finished stream: \(verified.stderr)") }
        guard try StoreContents.commits(store: store) == cleanCommits else { throw TestKitError("the finished log differs from the clean run's") }
        try catchUp(store)
        if let difference = StoreContents.difference(try StoreContents.views(store: store), cleanViews) {
            throw TestKitError("the views differ from the clean run's: \(difference)")
        }
    }

    /// Whether the store exists: an exec killed while starting may not have created it (or not whole: the
    /// log directory is made first, the store's id last).
    static func created(_ store: String) -> Bool {
        FileManager.default.fileExists(atPath: store + "/store.id")
    }

    /// Kills a query while it catches the views up, then lets one finish.
    mutating func killACatchUp(store: String) throws {
        guard Self.created(store) else { return }
        let child = try Child(options.teamlog, ["sql", "SELECT count(*) FROM users", "--store", store])
        child.kill(after: uniform(0.4))
        if child.wait().killed { tally.catchUpKills += 1 }
        try catchUp(store)
    }
}
