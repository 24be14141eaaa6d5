import Foundation
import Projections
import Testing

/// replay, rebuild, exec's batch behaviour, the demo, and quiet output in a pipe.
@Suite struct ToolTests {
    @Test func replayBuildsTheViewsAsOfAPositionWithoutTouchingTheLiveOnes() throws {
        let cli = try QueryAndFormatTests.storyStore()
        // Position 10 is after the cast (5 accounts, 2 events each): Acme's team does not exist yet.
        let out = cli.root + "/as-of-10.sqlite"
        let replay = try cli.ok(["replay", "--as-of", "10", "--out", out])
        #expect(replay.stdout.contains("position 10"))
        #expect(FileManager.default.fileExists(atPath: out))
        let again = try cli.run(["replay", "--as-of", "10", "--out", out])
        #expect(again.status == 64)
        try cli.ok(["replay", "--as-of", "2999-01-01T00:00:00Z", "--out", out, "--overwrite"])
        let live = try cli.ok(["query", "team-roster", "t-acme", "--format", "json"]).json() as? [String: Any]
        #expect((live?["members"] as? [Any])?.count == 2)
    }

    @Test func rebuildRebuildsNamedViewsAndRefusesUnknownOnes() throws {
        let cli = try QueryAndFormatTests.storyStore()
        let rebuilt = try cli.ok(["rebuild", "users", "team_roster"])
        #expect(rebuilt.stdout.contains("rebuilt 2 view(s)"))
        let all = try cli.ok(["rebuild"])
        #expect(all.stdout.contains("rebuilt \(ReadModels.all.count) view(s)"))
        let unknown = try cli.run(["rebuild", "nope"])
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("there is no view named 'nope'"))
        let members = try cli.ok(["sql", "SELECT count(*) AS n FROM team_members", "--format", "csv"])
        #expect(members.lines == ["n", "2"])
    }

    @Test func execStopsAtTheFirstErrorWhenAskedAndIsIdempotentByCommandId() throws {
        let cli = try CLI()
        let commands = """
            {"command":"RegisterAccount","actor":"u-1","userId":"u-1","role":"buyer","name":"A","email":"a@example.com","commandId":"c-1"}
            # a comment, skipped

            {"command":"CreateTeam","actor":"u-nobody","name":"T"}
            {"command":"CreateTeam","actor":"u-1","teamId":"t-1","name":"T"}
            """
        let stopped = try cli.run(["exec", "-", "--stop-on-error"], input: commands)
        #expect(stopped.status == 2)
        #expect(try stopped.jsonLines().map { $0["line"] as? Int } == [1, 4])
        #expect(try cli.ok(["query", "teams", "u-1", "--format", "json"]).stdout == "[]\n")
        // Run again without stopping: the command id makes the first line a duplicate.
        let all = try cli.run(["exec", "-"], input: commands)
        #expect(all.status == 2)
        let lines = try all.jsonLines()
        #expect(lines.map { $0["ok"] as? Bool } == [true, false, true])
        #expect(lines.first?["duplicate"] as? Bool == true)
        #expect(lines[1]["code"] as? String == "unknownActor")
    }

    @Test func aCommandPrintsItsJSONForm() throws {
        let cli = try CLI()
        let printed = try cli.ok(["invite-providers", "--actor", "u-1", "--email", "a@example.com", "--email", "b@example.com",
                                  "--command-id", "c-9", "--print-json"])
        let object = try JSONSerialization.jsonObject(with: Data(printed.stdout.utf8)) as? [String: Any]
        #expect(object?["command"] as? String == "InviteProviders")
        #expect(object?["emails"] as? [String] == ["a@example.com", "b@example.com"])
        #expect(object?["commandId"] as? String == "c-9")
        #expect(!FileManager.default.fileExists(atPath: cli.store))
    }

    @Test func theStoreIsOwnerOnlyAndFoundThroughTheEnvironment() throws {
        let cli = try CLI()
        let nested = cli.root + "/a/b/store"
        let created = try cli.run(["init"], withStore: false, environment: ["TEAMLOG_STORE": nested])
        #expect(created.status == 0)
        #expect(created.stdout.contains("created store \(nested)"))
        for path in [nested, cli.root + "/a/b"] {
            let mode = (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? 0
            #expect(mode & 0o077 == 0, "\(path) has mode \(String(mode, radix: 8))")
        }
        // --store before the subcommand works too.
        #expect(try cli.run(["--store", nested, "status"], withStore: false).status == 0)
    }

    @Test func theDemoLoadsTheStoryAndToursIt() throws {
        let cli = try CLI()
        let demo = try cli.ok(["demo", "--events", "3000"])
        #expect(demo.stdout.contains("== Seed story"))
        #expect(demo.stdout.contains("u-sam@odesk.com"))
        #expect(demo.stdout.contains("head hash: "))
        // Output is a pipe: no progress bar on standard error.
        #expect(demo.stderr.isEmpty)
        let again = try cli.run(["demo"])
        #expect(again.status == 64)
        #expect(again.stderr.contains("not empty"))
        let roster = try cli.ok(["query", "affiliate-roster", "u-amy", "--format", "json"]).json() as? [[String: Any]]
        #expect(roster?.count == 2)
    }
}
