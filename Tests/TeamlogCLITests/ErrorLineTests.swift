import Foundation
import Testing

/// Every error the CLI prints starts with `teamlog: error:`, whoever found it: the argument parser, a
/// validation, or the run (a rejection, an unknown id, a missing store, damaged input).
@Suite struct ErrorLineTests {
    static let failing: [[String]] = [
        // The argument parser.
        ["bogus"], ["--nope"], ["exec"], ["create-team", "--actor", "u-acme"], ["create-team", "--name", "X"],
        ["status", "--format", "xml"], ["sql"], ["verify", "--nope"], ["log", "--limit", "1"], ["query"],
        ["exec", "x.jsonl", "--batch-size", "many"], ["replay", "--out", "/tmp/never.sqlite"],
        // Validations.
        ["query", "nosuch"], ["query", "team-roster"], ["query", "jobs", "extra"], ["query", "users", "--role", "x"],
        ["query", "invitations", "--email", "x@y.example"], ["query", "invitations", "--email=x@y.example"],
        ["log", "--since", "yesterday"], ["replay", "--as-of", "x", "--out", "/tmp/never.sqlite"],
        ["exec", "-", "--batch-size", "0"],
        // The run.
        ["exec", "/nonexistent/file.jsonl"], ["sql", "DELETE FROM users"], ["query", "team-roster", "t-x"],
        ["query", "assignment", "a-x"], ["replay", "--as-of", "100000", "--out", "/tmp/never.sqlite"],
        ["create-team", "--actor", "u-nobody", "--name", "X"],
        ["create-team", "--actor", "u-acme", "--name", "X", "--team-id", "t-acme"],
        ["register-account", "--actor", "u-x", "--user-id", "u-x", "--role", "buyer", "--name", "N", "--email", "bad"],
        ["request-interview", "--actor", "u-acme", "--job-id", "j-1", "--provider-id", "u-sam", "--message", "M", "--thread-id", "th-1"],
    ]

    @Test func everyErrorsFirstLineStartsWithTeamlogError() throws {
        let cli = try QueryAndFormatTests.storyStore()
        for arguments in Self.failing {
            let result = try cli.run(arguments)
            #expect(result.status != 0, "\(arguments) succeeded")
            let first = result.stderr.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
            #expect(first.hasPrefix("teamlog: error: "), "\(arguments): \(result.stderr)")
        }
        // Without a store, too.
        let missing = try cli.run(["query", "jobs", "--store", cli.root + "/none"], withStore: false)
        #expect(missing.status == 66)
        #expect(missing.stderr.hasPrefix("teamlog: error: "), "\(missing.stderr)")
        // Help is not an error.
        let help = try cli.run(["query", "--help"])
        #expect(help.status == 0 && help.stderr.isEmpty && help.stdout.hasPrefix("OVERVIEW:"))
    }

    @Test func anUnknownQueryOptionIsNamedAndItsValueNotRepeated() throws {
        let cli = try QueryAndFormatTests.storyStore()
        for arguments in [["query", "invitations", "--email", "x@y.example"], ["query", "invitations", "--email=x@y.example"],
                          ["query", "invitations", "--kind", "team", "--email", "x@y.example"]] {
            let result = try cli.run(arguments)
            #expect(result.status == 64, "\(arguments): \(result.status)")
            #expect(result.stderr.hasPrefix("teamlog: error: query has no option '--email'"), "\(arguments): \(result.stderr)")
            #expect(!result.stderr.contains("x@y") && !result.stdout.contains("x@y"), "\(arguments): \(result.stderr)")
        }
    }

    @Test func aTakenThreadIdDoesNotSayTheThreadExists() throws {
        let cli = try QueryAndFormatTests.storyStore()
        // u-bob is no party to th-1 (Acme's interview thread with Sam).
        let taken = try cli.run(["send-message", "--actor", "u-bob", "--recipient-id", "u-sam", "--subject", "S", "--body", "B",
                                 "--thread-id", "th-1"])
        #expect(taken.status == 2)
        #expect(try taken.jsonLines().first?["code"] as? String == "invalidInput")
        #expect(taken.stderr.contains("cannot be used for a new thread"), "\(taken.stderr)")
        #expect(!taken.stderr.contains("taken") && !taken.stderr.contains("exist"), "\(taken.stderr)")
        try cli.ok(["send-message", "--actor", "u-bob", "--recipient-id", "u-sam", "--subject", "S", "--body", "B",
                    "--thread-id", "th-2"])
    }
}
