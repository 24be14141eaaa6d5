import Foundation
import Testing

/// Bad arguments to the subcommands that are not marketplace commands: each exits with its documented
/// code and says what is wrong, and the store stays the same byte for byte.
@Suite struct ToolArgumentTests {
    /// Arguments (the store's path is `STORE`, the test's directory `ROOT`), exit code, words of the message.
    static let cases: [(arguments: [String], status: Int32, mentions: [String])] = [
        (["frobnicate"], 64, ["frobnicate"]),
        (["--store", "STORE", "frobnicate"], 64, ["frobnicate"]),
        (["frobnicate", "--store", "STORE", "--lock-timeout=2"], 64, ["frobnicate"]),
        (["query", "nonsense"], 64, ["no view", "inbox"]),
        (["query", "inbox"], 64, ["needs a <user-id>"]),
        (["query", "users", "u-sam"], 64, ["takes no key"]),
        (["query", "users", "--role", "king"], 64, ["--role", "buyer"]),
        (["query", "invitations", "--kind", "weird"], 64, ["--kind", "network"]),
        (["query", "invitations", "--status", "lost"], 64, ["--status", "pending"]),
        (["query", "jobs", "--format", "xml"], 64, ["xml"]),
        (["sql", "DELETE FROM users"], 64, ["refused"]),
        (["sql", "SELECT * FROM nowhere"], 64, ["no such table"]),
        (["log", "--since", "yesterday"], 64, ["yesterday"]),
        (["log", "--from", "abc"], 64, ["--from"]),
        (["log", "--from", "10", "--to", "5"], 64, ["--to"]),
        (["log", "--format", "xml"], 64, ["xml"]),
        (["replay", "--as-of", "soon", "--out", "ROOT/r.sqlite"], 64, ["soon"]),
        (["replay", "--as-of", "10"], 64, ["--out"]),
        (["replay", "--as-of", "10", "--out", "STORE/views/x.sqlite"], 64, ["live views"]),
        (["replay", "--as-of", "10", "--out", "ROOT/story.jsonl"], 64, ["exists"]),
        (["replay", "--as-of", "10", "--out", "ROOT/r.sqlite", "--view", "nope"], 64, ["no view named 'nope'"]),
        (["replay", "--as-of", "10", "--out", "ROOT/missing/r.sqlite"], 74, ["does not exist"]),
        (["rebuild", "nope"], 64, ["no view named 'nope'"]),
        (["verify", "--expect-head", "zzz"], 64, ["64 hexadecimal digits"]),
        (["verify", "--expect-head", String(repeating: "0", count: 64)], 65, ["head hash mismatch"]),
        (["status", "--format", "xml"], 64, ["xml"]),
        (["stats", "--format", "xml"], 64, ["xml"]),
        (["demo"], 64, ["not empty"]),
        (["demo", "--events", "-5"], 64, ["--events"]),
        (["init", "--store", "ROOT/story.jsonl"], 64, ["not a directory"]),
        (["exec", "ROOT/missing.jsonl"], 66, ["No such file"]),
        (["exec", "ROOT"], 74, ["Is a directory"]),
        (["exec", "--batch-size", "0", "ROOT/story.jsonl"], 64, ["--batch-size"]),
        (["create-team", "--actor", "u-bob", "--name", "T", "--lock-timeout", "soon"], 64, ["--lock-timeout"]),
        (["status", "--store", "ROOT/nowhere"], 66, ["no Teamlog store"]),
    ]

    @Test func badArgumentsExitWithTheirCodeAndChangeNothing() throws {
        let cli = try BadInputFixture.store()
        let before = try StoreSnapshot(cli.root)
        for (arguments, status, mentions) in Self.cases {
            let resolved = arguments.map { $0.replacingOccurrences(of: "STORE", with: cli.store).replacingOccurrences(of: "ROOT", with: cli.root) }
            let result = try cli.run(resolved, withStore: !resolved.contains("--store"))
            #expect(result.status == status, "\(resolved) exited \(result.status): \(result.stderr)")
            BadInputTests.expect(result.stderr, mentions: mentions, "\(resolved)")
            #expect(try StoreSnapshot(cli.root).changes(since: before) == [], "\(resolved) changed the store or its directory")
        }
        print("bad input: other subcommands: \(Self.cases.count) bad arguments refused, the store unchanged")
    }
}
