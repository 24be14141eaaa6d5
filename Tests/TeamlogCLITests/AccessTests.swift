import Foundation
import Testing

/// The store is private to its owner, `teamlog sql` writes nothing, and nothing is written outside the
/// store (and the replay output the user names).
@Suite struct AccessTests {
    /// Runs teamlog under the usual umask (022), so files are private only if teamlog makes them so.
    static func runWithUmask022(_ cli: CLI, _ arguments: [String], environment: [String: String] = [:]) throws -> RunResult {
        try cli.run(["-c", "umask 022; exec \"$0\" \"$@\"", CLI.binary] + arguments, environment: environment, executable: "/bin/sh")
    }

    /// Every kind of work a store sees: commands, queries (view catch-up), rebuild, replay, the tools.
    static func everyKindOfWork(out: String) -> [[String]] {
        [
            ["demo", "--events", "1500"],
            ["send-message", "--actor", "u-sam", "--recipient-id", "u-amy", "--subject", "Hi", "--body", "Hello"],
            ["create-team", "--actor", "u-nobody", "--name", "Rejected"],
            ["query", "inbox", "u-sam"],
            ["sql", "SELECT count(*) FROM users"],
            ["rebuild"],
            ["replay", "--as-of", "40", "--out", out],
            ["status"], ["verify"], ["stats"], ["log", "--last", "5"],
        ]
    }

    @Test func everyFileAndDirectoryOfTheStoreIsOwnerOnly() throws {
        let cli = try CLI()
        let out = cli.root + "/as-of-40.sqlite"
        for arguments in Self.everyKindOfWork(out: out) {
            let result = try Self.runWithUmask022(cli, arguments)
            #expect([0, 2].contains(result.status), "\(arguments) exited \(result.status): \(result.stderr)")
        }
        let snapshot = try StoreSnapshot(cli.store)
        #expect(snapshot.entries.keys.contains("views/inbox.sqlite"))
        #expect(snapshot.entries.keys.contains("state/decisions.sqlite"))
        #expect(snapshot.notPrivate == [], "readable by others")
        // The replay output holds the same personal data.
        let mode = (try FileManager.default.attributesOfItem(atPath: out)[.posixPermissions] as? Int) ?? 0
        #expect(mode & 0o077 == 0, "the replay output has mode \(String(mode, radix: 8))")
    }

    @Test func nothingIsWrittenOutsideTheStoreAndTheReplayOutput() throws {
        let cli = try CLI()
        let home = cli.root + "/home", tmp = cli.root + "/tmp", outDirectory = cli.root + "/out"
        for directory in [home, tmp, outDirectory] { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        let out = outDirectory + "/as-of-40.sqlite"
        let environment = ["HOME": home, "TMPDIR": tmp, "XDG_CACHE_HOME": home + "/.cache", "XDG_DATA_HOME": home + "/.local/share"]
        for arguments in Self.everyKindOfWork(out: out) {
            let result = try cli.run(arguments, environment: environment)
            #expect([0, 2].contains(result.status), "\(arguments) exited \(result.status): \(result.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: home) == [])
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmp) == [])
        #expect(try FileManager.default.contentsOfDirectory(atPath: outDirectory) == ["as-of-40.sqlite"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: cli.root).sorted() == ["home", "out", "store", "tmp"])
    }
}
