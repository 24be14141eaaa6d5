import Foundation
import Testing

/// A repeated command id returns the first result whole; the same id with another command is refused.
@Suite struct CommandIdRetryTests {
    static let cast = SeedStoryTests.cast

    @Test func aRetryThroughASubcommandGetsTheFirstResultWholeAndTheLogIsUnchanged() throws {
        let cli = try CLI()
        try cli.ok(["exec", try cli.file("cast.jsonl", Self.cast)])
        let create = ["create-team", "--actor", "u-acme", "--name", "Retried", "--command-id", "retry-1"]
        let first = try cli.ok(create)
        let firstResult = try #require(try first.json() as? [String: Any])
        let streams = try #require(firstResult["streams"] as? [String])
        // The team id was generated for this command: the retry must name it again.
        #expect(streams.contains { $0.hasPrefix("team-") })
        let log = try StoreSnapshot(cli.store + "/log")

        let retry = try cli.run(create)
        #expect(retry.status == first.status)
        let retried = try #require(try retry.json() as? [String: Any])
        #expect(retried["streams"] as? [String] == streams)
        #expect(retried["events"] as? [String] == firstResult["events"] as? [String])
        #expect(retried["positions"] as? [Int] == firstResult["positions"] as? [Int])
        #expect(retried["duplicate"] as? Bool == true)
        #expect(try StoreSnapshot(cli.store + "/log") == log)

        let reused = try cli.run(["create-team", "--actor", "u-acme", "--name", "Another", "--command-id", "retry-1"])
        #expect(reused.status == 2)
        #expect(reused.stdout.contains("\"code\":\"commandIdReused\""))
        #expect(reused.stderr.hasPrefix("teamlog: error:"))
        #expect(reused.stderr.contains("fresh command id"))
        #expect(try StoreSnapshot(cli.store + "/log") == log)
    }

    @Test func aRetryThroughExecGetsTheSameLinesAndAReusedIdIsRefused() throws {
        let cli = try CLI()
        try cli.ok(["exec", try cli.file("cast.jsonl", Self.cast)])
        let line = #"{"command":"CreateTeam","actor":"u-acme","commandId":"c-exec","name":"Exec"}"#
        let first = try cli.ok(["exec", "-"], input: line + "\n")
        let log = try StoreSnapshot(cli.store + "/log")
        let retry = try cli.ok(["exec", "-"], input: line + "\n")
        let a = try #require(try first.jsonLines().first), b = try #require(try retry.jsonLines().first)
        #expect(b["streams"] as? [String] == a["streams"] as? [String])
        #expect(b["events"] as? [String] == a["events"] as? [String])
        #expect(b["positions"] as? [Int] == a["positions"] as? [Int])
        #expect(try StoreSnapshot(cli.store + "/log") == log)

        // Another actor, or another field, under the same id: another command.
        for other in [#"{"command":"CreateTeam","actor":"u-bob","commandId":"c-exec","name":"Exec"}"#,
                      #"{"command":"CreateTeam","actor":"u-acme","commandId":"c-exec","name":"Exec","teamId":"t-given"}"#,
                      #"{"command":"PostJob","actor":"u-acme","commandId":"c-exec","title":"T","description":"D","visibility":"public","purpose":"work"}"#] {
            let reused = try cli.run(["exec", "-"], input: other + "\n")
            #expect(reused.status == 2, "\(other): \(reused.stdout)")
            #expect(try reused.jsonLines().first?["code"] as? String == "commandIdReused")
            #expect(try StoreSnapshot(cli.store + "/log") == log)
        }
        // A correlation id is not part of the command: the retry is the same command.
        let correlated = #"{"command":"CreateTeam","actor":"u-acme","commandId":"c-exec","correlationId":"k","name":"Exec"}"#
        let again = try cli.ok(["exec", "-"], input: correlated + "\n")
        #expect(try again.jsonLines().first?["streams"] as? [String] == a["streams"] as? [String])
        #expect(try StoreSnapshot(cli.store + "/log") == log)
    }

    @Test func aRejectedCommandLeavesItsIdFree() throws {
        let cli = try CLI()
        try cli.ok(["exec", try cli.file("cast.jsonl", Self.cast)])
        let rejected = try cli.run(["create-team", "--actor", "u-nobody", "--name", "X", "--command-id", "c-free"])
        #expect(rejected.status == 2)
        try cli.ok(["create-team", "--actor", "u-acme", "--name", "Y", "--command-id", "c-free"])
    }

    @Test func theDemosCommandIdsAreRegisteredToo() throws {
        let cli = try CLI()
        try cli.ok(["demo", "--events", "0"])
        let log = try StoreSnapshot(cli.store + "/log")
        let reused = try cli.run(["exec", "-"], input: #"{"command":"CreateTeam","actor":"u-amy","commandId":"seed-1","name":"X"}"# + "\n")
        #expect(reused.status == 2)
        #expect(try reused.jsonLines().first?["code"] as? String == "commandIdReused")
        #expect(try StoreSnapshot(cli.store + "/log") == log)
    }
}
