import Foundation
import Testing

/// `exec` given lines that are not commands, and commands replayed by their command ids.
@Suite struct ExecInputTests {
    /// Lines that are not a command at all, each with the code and the words its result must carry.
    static let lines: [(line: String, code: String, mentions: [String])] = [
        ("hello", "malformed", ["not valid JSON"]),
        ("{", "malformed", ["not valid JSON"]),
        ("[]", "malformed", ["malformed"]),
        ("[{\"command\":\"LeaveTeam\",\"actor\":\"u-sam\",\"teamId\":\"t-acme\"}]", "malformed", ["malformed"]),
        ("\"LeaveTeam\"", "malformed", ["malformed"]),
        ("42", "malformed", ["malformed"]),
        ("null", "malformed", ["malformed"]),
        ("true", "malformed", ["malformed"]),
        ("{}", "malformed", ["'actor'", "missing"]),
        ("{\"command\":\"LeaveTeam\",\"teamId\":\"t-acme\"}", "malformed", ["'actor'", "missing"]),
        ("{\"actor\":\"u-sam\",\"teamId\":\"t-acme\"}", "malformed", ["'command'", "missing"]),
        ("{\"command\":42,\"actor\":\"u-sam\",\"teamId\":\"t-acme\"}", "malformed", ["'command'"]),
        ("{\"command\":\"leaveteam\",\"actor\":\"u-sam\",\"teamId\":\"t-acme\"}", "malformed", ["unknown command"]),
        ("{\"command\":\"LeaveTeam\",\"actor\":[\"u-sam\"],\"teamId\":\"t-acme\"}", "malformed", ["'actor'"]),
        ("{\"command\":\"LeaveTeam\",\"actor\":\"u-sam\",\"teamId\":\"t-acme\"} trailing", "malformed", ["not valid JSON"]),
        ("{\"command\":\"LeaveTeam\",\"actor\":\"u-sam\",\"teamId\":\"t-acme\"", "malformed", ["not valid JSON"]),
        ("{\"command\":\"InviteProviders\",\"actor\":\"u-amy\",\"emails\":[\"a@example.com\",7]}", "malformed", ["'emails"]),
        ("{\"command\":\"RecordPayment\",\"actor\":\"u-bob\",\"assignmentId\":\"a-1\",\"amountCents\":1.5,\"currency\":\"USD\"}", "malformed", ["whole number"]),
        ("{\"command\":\"RecordPayment\",\"actor\":\"u-bob\",\"assignmentId\":\"a-1\",\"amountCents\":1e30,\"currency\":\"USD\"}", "malformed", ["whole number"]),
        ("{\"command\":\"PostJob\",\"actor\":\"u-bob\",\"title\":\"T\",\"description\":\"D\",\"visibility\":\"secret\"}", "malformed", ["'visibility'"]),
        (String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000), "malformed", ["malformed"]),
        ("{\"command\":\"LeaveTeam\",\"actor\":\"u-sam\",\"teamId\":\"t\\u0000acme\"}", "invalidInput", ["team id", "control characters"]),
        ("{\"command\":\"SendMessage\",\"actor\":\"u-bob\",\"recipientId\":\"u-kim\",\"subject\":\"S\",\"body\":\"" + String(repeating: "b", count: 2_000_000)
            + "\"}", "invalidInput", ["message", "limit is 10000"]),
        ("{\"command\":\"ReplyToThread\",\"actor\":\"u-sam\",\"threadId\":\"th-1\",\"body\":\"B\",\"attachments\":[\"cv.pdf\"]}",
         "attachmentsNotAllowed", ["attachments"]),
        ("{\"command\":\"LeaveTeam\",\"actor\":\"u-sam\",\"teamId\":\"t-acme\",\"teamID\":\"t-other\"}", "malformed",
         ["'teamID' is not a field of LeaveTeam", "its fields are teamId"]),
    ]

    /// A key that is no field of the command (a misspelling, a field of another command) is refused, exit 2,
    /// naming the key safely and listing the command's fields, never the value; the store is unchanged,
    /// byte for byte; the same command without the key is then applied.
    @Test func aCommandWithAnUnknownKeyIsRefusedAndTheStoreIsUnchanged() throws {
        let cli = try BadInputFixture.store()
        let before = try StoreSnapshot(cli.store)
        let good = #"{"command":"RegisterAccount","actor":"u-new","userId":"u-new","role":"buyer","name":"New","email":"new@example.com""#
        let hostileKey = "nm\\u001b]0;owned\\u0007" + String(repeating: "z", count: 500)
        let lines = [good + #","emial":"private@example.com"}"#, good + #","\#(hostileKey)":"v"}"#]
        for line in lines {
            let result = try cli.run(["exec", try cli.file("unknown.jsonl", line)])
            #expect(result.status == 2, "\(result.stderr)")
            let error = try #require(try result.jsonLines().first?["error"] as? String)
            #expect(try result.jsonLines().first?["code"] as? String == "malformed")
            #expect(error.contains("is not a field of RegisterAccount") && error.contains("its fields are userId, role, name, email"), "\(error)")
            #expect(!error.contains("private@example.com") && !result.stderr.contains("private@example.com"))
            #expect(!result.stdout.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 }
                    && !result.stderr.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 }, "a raw control character was printed")
            #expect(result.stderr.utf8.count < 2_000, "the key is not capped: \(result.stderr.utf8.count) bytes")
            #expect(try StoreSnapshot(cli.store).changes(since: before) == [], "the store changed")
        }
        #expect(try cli.run(["exec", try cli.file("emial.jsonl", lines[0])]).stderr.contains("'emial'"))
        try cli.ok(["exec", try cli.file("good.jsonl", good + "}")])
    }

    @Test func linesThatAreNotCommandsAreRefusedOneByOneAndChangeNothing() throws {
        let cli = try BadInputFixture.store()
        let before = try StoreSnapshot(cli.store)
        // Invalid UTF-8 too, written as raw bytes.
        var bytes = Data(Self.lines.map(\.line).joined(separator: "\n").utf8)
        bytes.append(contentsOf: [10, 0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D, 10])
        let path = cli.root + "/bad.jsonl"
        try bytes.write(to: URL(fileURLWithPath: path))
        let result = try cli.run(["exec", path])
        #expect(result.status == 2)
        let expected = Self.lines.count + 1
        #expect(result.stderr.hasPrefix("teamlog: error: \(expected) command(s) failed; the first, on line 1: "), "\(result.stderr)")
        let results = try result.jsonLines()
        #expect(results.count == expected)
        for (result, case_) in zip(results, Self.lines) {
            #expect(result["code"] as? String == case_.code, "\(case_.line.prefix(120)): \(result)")
            BadInputTests.expect(result["error"] as? String ?? "", mentions: case_.mentions, String(case_.line.prefix(120)))
        }
        #expect(results.last?["code"] as? String == "malformed")
        // The same lines through standard input, stopping at the first.
        let stopped = try cli.run(["exec", "-", "--stop-on-error"], input: Self.lines.map(\.line).joined(separator: "\n"))
        #expect(stopped.status == 2)
        #expect(try stopped.jsonLines().count == 1)
        let changed = try StoreSnapshot(cli.store).changes(since: before)
        #expect(changed == [])
        print("bad input: exec: \(expected) lines that are not commands refused, the store unchanged")
    }

    /// Every subcommand run with a command id, then again: the second run returns the first result, says
    /// it is a duplicate and appends nothing, through the subcommand and through exec, even when the
    /// command sent again differs.
    @Test func replayedCommandIdsReturnTheFirstResultAndAppendNothing() throws {
        let cli = try BadInputFixture.store()
        var first: [String: [Int]] = [:]
        var jsonLines: [String] = []
        for (index, command) in BadInputFixture.validCommands.enumerated() {
            let arguments = command.arguments + ["--command-id", "c-\(index)"]
            let result = try cli.ok([command.subcommand] + arguments)
            let line = try #require(try result.jsonLines().first)
            #expect(line["duplicate"] == nil)
            first["c-\(index)"] = line["positions"] as? [Int]
            jsonLines.append(try cli.run([command.subcommand, "--print-json"] + arguments, withStore: false).stdout.trimmingCharacters(in: .newlines))
        }
        try cli.ok(["sql", "SELECT count(*) FROM users"])
        let before = try StoreSnapshot(cli.store)
        var tried = 0
        for (index, command) in BadInputFixture.validCommands.enumerated() {
            let result = try cli.ok([command.subcommand] + command.arguments + ["--command-id", "c-\(index)"])
            let line = try #require(try result.jsonLines().first)
            #expect(line["duplicate"] as? Bool == true, "\(command.subcommand): \(line)")
            #expect(line["positions"] as? [Int] == first["c-\(index)"], "\(command.subcommand): \(line)")
            tried += 1
        }
        // A different command under a used id is refused: the id names the first command.
        let other = try cli.run(["create-team", "--actor", "u-bob", "--name", "Another", "--command-id", "c-0"])
        #expect(other.status == 2)
        #expect(try other.jsonLines().first?["code"] as? String == "commandIdReused")
        let replayed = try cli.ok(["exec", try cli.file("replayed.jsonl", jsonLines.joined(separator: "\n"))]).jsonLines()
        #expect(replayed.count == jsonLines.count)
        for (index, line) in replayed.enumerated() {
            #expect(line["duplicate"] as? Bool == true && line["positions"] as? [Int] == first["c-\(index)"], "\(line)")
        }
        tried += 1 + replayed.count
        let changed = try StoreSnapshot(cli.store).changes(since: before)
        #expect(changed == [], "a replayed command id changed the store")
        print("bad input: replayed command ids: \(tried) replays returned the first result, the store unchanged")
    }
}
