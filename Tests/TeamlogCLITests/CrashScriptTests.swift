import Foundation
import Testing

/// The bounded run of Tools/crash (the long run's figures are in docs/BENCHMARKS.md): `teamlog exec`, `rebuild`
/// and `replay` SIGKILLed at random instants, on the built debug binaries.
@Suite struct CrashScriptTests {
    @Test(.timeLimit(.minutes(5)))
    func execRebuildAndReplaySurviveKillsAtRandomInstants() throws {
        let root = URL(fileURLWithPath: CLI.binary).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let cli = try CLI()
        let seed = UInt64.random(in: 1...1_000)
        let result = try cli.run(["--bin", root.path + "/.build/debug", "--kills", "5", "--commands", "2000", "--seed", String(seed)],
                                 withStore: false, executable: root.path + "/Tools/crash")
        #expect(result.status == 0, "Tools/crash --seed \(seed) exited \(result.status): \(result.stderr)")
        let summary = try #require(result.lines.last { $0.hasPrefix("crash: ") }, "no summary: \(result.stdout)")
        print(summary)
        let kills = Self.numbers(summary)
        #expect(summary.hasPrefix("crash: survived 5 kills of exec"), "\(summary)")
        #expect(kills["rebuild", default: 0] >= 1 && kills["replay", default: 0] >= 1, "\(summary)")
        #expect(summary.contains("nothing lost, no partial commit, views equal the clean run's"))
    }

    /// `N of rebuild`, `N of replay` in the summary line.
    static func numbers(_ summary: String) -> [String: Int] {
        var found: [String: Int] = [:]
        let words = summary.split(separator: " ").map { $0.trimmingCharacters(in: .punctuationCharacters) }
        for index in words.indices.dropFirst(2) where words[index - 1] == "of" {
            if let count = Int(words[index - 2]) { found[words[index]] = count }
        }
        return found
    }
}
