import Foundation
import Projections

extension CrashDriver {
    /// Each view's fingerprint, from `teamlog status --format json` (which answers from the live files).
    func fingerprints(_ store: String) throws -> [String: String] {
        let status = try teamlog(["status", "--format", "json"], store: store)
        guard status.status == 0, let object = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any],
              let views = object["views"] as? [[String: Any]] else {
            throw TestKitError("status failed: \(status.stderr)")
        }
        var result: [String: String] = [:]
        for view in views {
            if let name = view["name"] as? String { result[name] = view["fingerprint"] as? String ?? "" }
        }
        return result
    }

    /// The live views answer, unchanged: a query works and every fingerprint is the one before.
    func checkServing(_ store: String, _ live: [String: String], after: String) throws {
        let query = try teamlog(["query", "users", "--format", "json"], store: store)
        guard query.status == 0 else { throw TestKitError("a query failed after \(after): \(query.stderr)") }
        guard try fingerprints(store) == live else { throw TestKitError("the live views changed after \(after)") }
    }

    /// Kills `teamlog rebuild` at random instants; the live views keep answering with the same rows, and a
    /// rebuild run to the end gives the same fingerprints and leaves no partial file.
    mutating func rebuildKills(store: String) throws {
        let live = try fingerprints(store)
        var started = Date()
        let clean = try teamlog(["rebuild"], store: store)
        var seconds = Date().timeIntervalSince(started)
        guard clean.status == 0, try fingerprints(store) == live else { throw TestKitError("a clean rebuild changed the views: \(clean.stderr)") }
        var attempts = 0
        while tally.rebuildKills < options.kills, attempts < options.kills * 4 {
            attempts += 1
            started = Date()
            let child = try Child(options.teamlog, ["rebuild", "--store", store])
            child.kill(after: uniform(seconds * 1.1))
            let result = child.wait()
            if result.killed { tally.rebuildKills += 1 } else if result.status != 0 { throw TestKitError("rebuild failed: \(result.stderr)") }
            if !result.killed { seconds = Date().timeIntervalSince(started) } // kill within what a whole rebuild takes now
            try checkServing(store, live, after: "rebuild kill \(tally.rebuildKills)")
        }
        let finished = try teamlog(["rebuild"], store: store)
        guard finished.status == 0, try fingerprints(store) == live else { throw TestKitError("the rebuild after the kills differs: \(finished.stderr)") }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: store + "/views").filter { $0.contains(".rebuilding.") }
        guard leftovers.isEmpty else { throw TestKitError("a finished rebuild left \(leftovers)") }
        say(String(format: "rebuild: %d kills (a rebuild takes %.1f s), the live views unchanged", tally.rebuildKills, seconds))
    }

    /// Kills `teamlog replay` at random instants; the live views are untouched, and the replay run again
    /// writes the same views as an uninterrupted one, with no partial file left.
    mutating func replayKills(store: String) throws {
        let live = try fingerprints(store)
        let position = (cleanCommits.last.map { Int($0.position) + $0.events - 1 } ?? 0) / 2
        var started = Date()
        let reference = try replay(store, position: position, out: work + "/replay-reference.sqlite")
        var seconds = Date().timeIntervalSince(started)
        let out = work + "/replay.sqlite"
        var attempts = 0
        while tally.replayKills < options.kills, attempts < options.kills * 4 {
            attempts += 1
            started = Date()
            let child = try Child(options.teamlog, ["replay", "--as-of", String(position), "--out", out, "--overwrite", "--store", store])
            child.kill(after: uniform(seconds * 1.1))
            let result = child.wait()
            if result.killed { tally.replayKills += 1 } else if result.status != 0 { throw TestKitError("replay failed: \(result.stderr)") }
            if !result.killed { seconds = Date().timeIntervalSince(started) }
            try checkServing(store, live, after: "replay kill \(tally.replayKills)")
            guard try replay(store, position: position, out: out) == reference else {
                throw TestKitError("the replay run again after kill \(tally.replayKills) differs from an uninterrupted one")
            }
            guard !FileManager.default.fileExists(atPath: out + ".partial") else { throw TestKitError("a finished replay left \(out).partial") }
        }
        say(String(format: "replay: %d kills (a replay as of %d takes %.1f s), the live views unchanged", tally.replayKills, position, seconds))
    }

    /// Replays as of `position` into `out` (overwriting) and returns the fingerprints it printed.
    func replay(_ store: String, position: Int, out: String) throws -> [String: String] {
        let result = try teamlog(["replay", "--as-of", String(position), "--out", out, "--overwrite"], store: store)
        guard result.status == 0 else { throw TestKitError("replay failed: \(result.stderr)") }
        var fingerprints: [String: String] = [:]
        for line in result.stdout.split(separator: "\n") {
            let words = line.split(separator: " ", omittingEmptySubsequences: true)
            if words.count == 2, words[1].count == 64, words[1].allSatisfy(\.isHexDigit) { fingerprints[String(words[0])] = String(words[1]) }
        }
        guard fingerprints.count == ReadModels.all.count else { throw TestKitError("replay printed \(fingerprints.count) fingerprints: \(result.stdout)") }
        return fingerprints
    }
}
