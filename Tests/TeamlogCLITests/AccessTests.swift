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

    /// Statements that would change a view, its schema or its connection's files, or reach another file.
    static let writes = [
        "INSERT INTO users (user_id) VALUES ('x')", "UPDATE users SET name = 'x'", "DELETE FROM users", "delete from users",
        "REPLACE INTO users (user_id) VALUES ('x')", "DROP TABLE users", "DROP VIEW team_mailing_list",
        "CREATE TABLE x (a)", "CREATE TEMP TABLE x (a)", "CREATE INDEX x ON users (name)", "ALTER TABLE users ADD COLUMN x",
        "PRAGMA user_version = 7", "PRAGMA journal_mode = WAL", "PRAGMA main.journal_mode = DELETE", "PRAGMA schema_version = 1",
        "PRAGMA incremental_vacuum", "PRAGMA wal_checkpoint", "ATTACH DATABASE 'other.sqlite' AS other", "DETACH DATABASE inbox",
        "VACUUM", "VACUUM INTO 'copy.sqlite'", "REINDEX", "ANALYZE", "BEGIN", "SAVEPOINT s",
        "WITH a AS (SELECT 1) INSERT INTO users (user_id) VALUES ('x')", "WITH a AS (SELECT 1) DELETE FROM users",
        "EXPLAIN DELETE FROM users", "SELECT 1; DELETE FROM users", "/* hi */ DELETE FROM users", " -- hi\nDROP TABLE users",
        "SELECT load_extension('libc.so.6')", "SELECT writefile('written.txt', 'x')", "",
    ]

    @Test func sqlRefusesEveryWriteWithExit64AndChangesNothing() throws {
        let cli = try QueryAndFormatTests.storyStore()
        try cli.ok(["sql", "SELECT count(*) FROM users"]) // views caught up: later statements have nothing to catch up
        let before = try StoreSnapshot(cli.root)
        for statement in Self.writes {
            let result = try cli.run(["sql", statement])
            #expect(result.status == 64, "\(statement.debugDescription) exited \(result.status): \(result.stderr)")
            #expect(result.stderr.contains("read-only") || result.stderr.contains("refused") || result.stderr.contains("invalid query")
                    || result.stderr.contains("empty"), "\(statement.debugDescription): \(result.stderr)")
            #expect(!result.stderr.contains("teamlog rebuild"), "\(statement.debugDescription) blames the view: \(result.stderr)")
        }
        #expect(try StoreSnapshot(cli.root).changes(since: before) == [])
    }

    @Test func aFailingReadOnlyQueryIsAUsageErrorNotADamagedView() throws {
        let cli = try QueryAndFormatTests.storyStore()
        for statement in ["SELECT abs(-9223372036854775808)", "SELECT json('{not json')", "SELECT * FROM no_such_table"] {
            let result = try cli.run(["sql", statement])
            #expect(result.status == 64, "\(statement) exited \(result.status): \(result.stderr)")
            #expect(result.stderr.contains("invalid query"), "\(statement): \(result.stderr)")
        }
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
