import Foundation
import Projections
import Testing

/// `teamlog verify --views` proves each view equals the log; `status`, `query` and `sql` refuse a
/// view ahead of the log (exit 65).
@Suite struct VerifyViewsCLITests {
    /// A store with a generated history, its views caught up.
    static func caughtUpStore() throws -> CLI {
        let cli = try CLI()
        try cli.ok(["demo", "--events", "1500"])
        return cli
    }

    /// Runs the stock `sqlite3` tool on a view file of the store, as a user editing it would; returns what it printed.
    @discardableResult
    static func sqlite3(_ cli: CLI, _ view: String, _ sql: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let result = try cli.run([cli.store + "/views/\(view).sqlite", sql], withStore: false, executable: "/usr/bin/sqlite3")
        #expect(result.status == 0, "sqlite3 \(view): \(result.stderr)", sourceLocation: sourceLocation)
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static let views = ReadModels.all.map(\.name)

    @Test func anUntouchedStoreVerifies() throws {
        let cli = try Self.caughtUpStore()
        let result = try cli.ok(["verify", "--views"])
        for view in Self.views {
            #expect(result.lines.contains { $0.hasPrefix("view \(view): ok at checkpoint ") }, "\(result.stdout)")
        }
        #expect(result.lines.last?.hasPrefix("views ok: \(ReadModels.all.count) view(s) checked") == true, "\(result.stdout)")
        // The log is verified first, as without --views
        #expect(result.lines.contains { $0.hasPrefix("head hash: ") })
        // Nothing is left in views/ but the views and their lock files
        let entries = try FileManager.default.contentsOfDirectory(atPath: cli.store + "/views")
        #expect(entries.allSatisfy { $0.hasSuffix(".sqlite") || $0.hasSuffix(".rebuild.lock") }, "\(entries)")
    }

    @Test func rowsChangedDeletedOrInsertedWithSqlite3AreNamedAndARebuildMendsThem() throws {
        // Given a caught-up store, and three views edited with sqlite3: a row changed, one deleted, one inserted
        let cli = try Self.caughtUpStore()
        let head = try #require(cli.ok(["status", "--format", "json"]).json() as? [String: Any])
        let position = try #require((head["head"] as? [String: Any])?["position"] as? Int)
        #expect(try Self.sqlite3(cli, "users", "UPDATE users SET name = 'x' WHERE user_id = (SELECT min(user_id) FROM users); SELECT changes();") == "1")
        #expect(try Self.sqlite3(cli, "jobs", "DELETE FROM job_postings WHERE job_id = (SELECT min(job_id) FROM job_postings); SELECT changes();") == "1")
        #expect(try Self.sqlite3(cli, "team_roster", "INSERT INTO team_teams (team_id, name, created_by, created_at_micros) VALUES ('t-fake', 'Fake', 'u-x', 0); SELECT changes();") == "1")

        // When the views are verified
        let result = try cli.run(["verify", "--views"])

        // Then it exits 65, with a DIFFERS line per edited view (both fingerprints, the checkpoint), and names them with advice
        #expect(result.status == 65, "\(result.stderr)")
        for view in ["users", "jobs", "team_roster"] {
            let line = try #require(result.lines.first { $0.hasPrefix("view \(view): ") })
            #expect(line.contains("DIFFERS at checkpoint \(position)"), "\(line)")
            #expect(line.contains("view fingerprint ") && line.contains("log fingerprint "), "\(line)")
            #expect(result.stderr.contains(view))
        }
        for view in ["inbox", "affiliate_roster", "invitations", "assignments"] {
            #expect(result.lines.contains { $0.hasPrefix("view \(view): ok at checkpoint \(position)") }, "\(result.stdout)")
        }
        #expect(result.stderr.contains("3 view(s) do not equal the log"), "\(result.stderr)")
        #expect(result.stderr.contains("teamlog rebuild"), "\(result.stderr)")

        // And rebuilding them makes the store verify again
        try cli.ok(["rebuild", "users", "jobs", "team_roster"])
        try cli.ok(["verify", "--views"])
    }

    @Test(arguments: ["UPDATE projection_checkpoint SET recorded_at_micros = recorded_at_micros - 1",
                      "UPDATE projection_checkpoint SET position = position / 2",
                      "UPDATE projection_checkpoint SET fingerprint = 'f00d', fingerprint_position = position",
                      "DELETE FROM projection_checkpoint"])
    func anEditedCheckpointRowIsCaught(sql: String) throws {
        let cli = try Self.caughtUpStore()
        try Self.sqlite3(cli, "invitations", sql)

        let result = try cli.run(["verify", "--views"])

        #expect(result.status == 65, "\(result.stdout) \(result.stderr)")
        #expect(result.lines.contains { $0.hasPrefix("view invitations: DIFFERS") }, "\(result.stdout)")
        #expect(result.stderr.contains("invitations") && result.stderr.contains("teamlog rebuild invitations"), "\(result.stderr)")
    }

    @Test func viewsCopiedFromALongerStoreAreAheadOfTheLogAndNotServed() throws {
        // Given a store, and a copy of it that received more commands and caught its views up
        let cli = try QueryAndFormatTests.storyStore()
        try cli.ok(["query", "users"])
        let longer = try CLI()
        try FileManager.default.copyItem(atPath: cli.store, toPath: longer.store)
        let more = (1...3).map { n in
            #"{"command":"RegisterAccount","actor":"u-n\#(n)","userId":"u-n\#(n)","role":"provider","name":"N \#(n)","email":"n\#(n)@example.com"}"#
        }.joined(separator: "\n")
        try longer.ok(["exec", try longer.file("more.jsonl", more)])
        try longer.ok(["query", "users"])
        try longer.ok(["sql", "SELECT 1"])

        // When the longer store's views are copied into the first store (whose log lacks those 6 events)
        try FileManager.default.removeItem(atPath: cli.store + "/views")
        try FileManager.default.copyItem(atPath: longer.store + "/views", toPath: cli.store + "/views")

        // Then status marks every view ahead of the log and exits 65
        let status = try cli.run(["status"])
        #expect(status.status == 65, "\(status.stderr)")
        #expect(status.lines.filter { $0.contains("AHEAD OF THE LOG (6 events the log no longer holds)") }.count == ReadModels.all.count, "\(status.stdout)")
        #expect(status.stderr.contains("teamlog verify"), "\(status.stderr)")
        let json = try cli.run(["status", "--format", "json"])
        #expect(json.status == 65)
        #expect(json.stdout.contains("\"aheadOfLog\":6"), "\(json.stdout)")

        // And queries and SQL refuse to serve them, naming the view, its checkpoint and the head
        for arguments in [["query", "users"], ["query", "inbox", "u-sam"], ["sql", "SELECT count(*) FROM users"]] {
            let result = try cli.run(arguments)
            #expect(result.status == 65, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("above the log's head") && result.stderr.contains("teamlog verify"), "\(result.stderr)")
            #expect(result.stdout.isEmpty)
        }

        // And verify names the loss the views show (before it gets to --views); a rebuild from the log mends them
        let verify = try cli.run(["verify", "--views"])
        #expect(verify.status == 65)
        #expect(verify.stdout.contains("LOST positions="), "\(verify.stdout)")
        #expect(verify.stderr.contains("view ") && verify.stderr.contains("checkpointed at position"), "\(verify.stderr)")
        try cli.ok(["rebuild"])
        try cli.ok(["status"])
        try cli.ok(["verify", "--views"])
        try cli.ok(["query", "users"])
    }

    @Test func aCheckpointEditedAboveTheHeadMakesStatusAndQueryExit65() throws {
        let cli = try QueryAndFormatTests.storyStore()
        try cli.ok(["query", "users"])
        try Self.sqlite3(cli, "users", "UPDATE projection_checkpoint SET position = position + 4")

        let status = try cli.run(["status"])
        #expect(status.status == 65)
        #expect(status.lines.contains { $0.hasPrefix("users") && $0.contains("AHEAD OF THE LOG (4 events the log no longer holds)") },
                "\(status.stdout)")
        let query = try cli.run(["query", "users"])
        #expect(query.status == 65)
        #expect(query.stderr.contains("view 'users'"), "\(query.stderr)")
        #expect(try cli.run(["query", "inbox", "u-sam"]).status == 0, "other views still answer")
    }
}
