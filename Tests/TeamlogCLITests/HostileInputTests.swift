import Foundation
import Testing

/// Input chosen to do harm rather than by mistake: output paths that lead into the store, JSON that a
/// lenient parser would quietly alter, texts whose characters are few but whose bytes are many, and SQL
/// that never ends or reaches unsafe functions. Each is refused with its documented exit code and a message
/// naming the problem, and leaves the store unchanged byte for byte.
@Suite struct HostileInputTests {
    // MARK: - Output files inside the store

    /// A store with the fixture story (views caught up), and the name of its first log segment.
    static func storeWithSegment() throws -> (CLI, segment: String) {
        let cli = try BadInputFixture.store()
        let segments = try FileManager.default.contentsOfDirectory(atPath: cli.store + "/log").filter { $0.hasSuffix(".lz4") }.sorted()
        let segment = try #require(segments.first)
        return (cli, segment)
    }

    @Test func replayRefusesEveryOutputThatResolvesInsideTheStore() throws {
        let (cli, segment) = try Self.storeWithSegment()
        let fm = FileManager.default
        let state = try #require(try fm.contentsOfDirectory(atPath: cli.store + "/state").sorted().first)
        // Links outside the store that lead into it.
        try fm.createSymbolicLink(atPath: cli.root + "/views-link", withDestinationPath: cli.store + "/views")
        try fm.createSymbolicLink(atPath: cli.root + "/segment-link.lz4", withDestinationPath: cli.store + "/log/" + segment)
        try fm.createSymbolicLink(atPath: cli.root + "/dangling-link", withDestinationPath: cli.store + "/log/new.lz4")
        try fm.createSymbolicLink(atPath: cli.root + "/store-link", withDestinationPath: "store")
        try fm.createDirectory(atPath: cli.root + "/elsewhere", withIntermediateDirectories: true)
        let outputs: [(what: String, out: String, directory: String?)] = [
            ("a segment", cli.store + "/log/" + segment, nil),
            ("store.id", cli.store + "/store.id", nil),
            ("the frame index", cli.store + "/index/frames.idx", nil),
            ("a state file", cli.store + "/state/" + state, nil),
            ("the lock", cli.store + "/lock", nil),
            ("a live view", cli.store + "/views/users.sqlite", nil),
            ("a new file in log/", cli.store + "/log/as-of.sqlite", nil),
            ("a new file at the store's top", cli.store + "/as-of.sqlite", nil),
            ("the store directory itself", cli.store, nil),
            ("through a symlinked directory into views/", cli.root + "/views-link/users.sqlite", nil),
            ("a symlink file pointing at a segment", cli.root + "/segment-link.lz4", nil),
            ("a dangling symlink pointing into log/", cli.root + "/dangling-link", nil),
            ("a relative path with .. into the store", "../store/store.id", cli.root + "/elsewhere"),
            ("a relative path through a symlinked store", "store-link/log/" + segment, cli.root),
            ("an absolute path with .. into the store", cli.root + "/elsewhere/../store/index/frames.idx", nil),
        ]
        let before = try StoreSnapshot(cli.store)
        for output in outputs {
            for overwrite in [false, true] {
                let arguments = ["replay", "--as-of", "10", "--out", output.out] + (overwrite ? ["--overwrite"] : [])
                let result = try cli.run(arguments, directory: output.directory)
                #expect(result.status == 64, "\(output.what) (overwrite: \(overwrite)) exited \(result.status): \(result.stderr)")
                BadInputTests.expect(result.stderr, mentions: ["--out", "inside the store", "choose a path outside it"], output.what)
                let changed = try StoreSnapshot(cli.store).changes(since: before)
                #expect(changed == [], "\(output.what) (overwrite: \(overwrite)) changed the store")
            }
        }
        // The links outside the store are untouched too.
        #expect(try fm.destinationOfSymbolicLink(atPath: cli.root + "/segment-link.lz4") == cli.store + "/log/" + segment)
        #expect(try fm.destinationOfSymbolicLink(atPath: cli.root + "/dangling-link") == cli.store + "/log/new.lz4")
        // Outside the store, even beside it under a name that starts with the store's, replay writes.
        try fm.createDirectory(atPath: cli.root + "/store-copy", withIntermediateDirectories: true)
        for out in [cli.root + "/store-copy/as-of.sqlite", cli.root + "/as-of.sqlite"] {
            let result = try cli.run(["replay", "--as-of", "10", "--out", out])
            #expect(result.status == 0, "\(out): \(result.stderr)")
        }
        #expect(try StoreSnapshot(cli.store).changes(since: before) == [])
        print("hostile input: replay: \(outputs.count * 2) outputs inside the store refused, the store unchanged")
    }

    // MARK: - JSON that a lenient parser would alter

    /// One command line with `value`'s raw bytes as a JSON string's contents (not escaped).
    static func line(_ prefix: String, rawString value: [UInt8], _ suffix: String) -> Data {
        var bytes = Data(prefix.utf8)
        bytes.append(contentsOf: value)
        bytes.append(contentsOf: Data(suffix.utf8))
        return bytes
    }

    /// Text of `characters` characters, each a letter under `marks` stacked combining marks (U+0301).
    static func stacked(_ characters: Int, marks: Int) -> String {
        String(repeating: "e" + String(repeating: "\u{0301}", count: marks), count: characters)
    }

    static let team = #"{"command":"CreateTeam","actor":"u-bob","name":""#
    static let payment = #"{"command":"RecordPayment","actor":"u-bob","assignmentId":"a-1","currency":"USD","amountCents":"#

    /// Lines that must be refused, each with the code and the words its message must carry.
    static func alteredLines() -> [(what: String, line: Data, code: String, mentions: [String])] {
        var lines: [(String, Data, String, [String])] = []
        let invalid: [(String, [UInt8])] = [
            ("\\xff\\xfe", [0xFF, 0xFE]), ("overlong \\xc0\\xaf", [0xC0, 0xAF]), ("lone \\xe9", [0xE9]),
            ("truncated \\xe2\\x82", [0xE2, 0x82]), ("a surrogate in UTF-8 \\xed\\xa0\\x80", [0xED, 0xA0, 0x80]),
            ("a code point above U+10FFFF", [0xF4, 0x90, 0x80, 0x80]), ("\\xf5", [0xF5, 0x80, 0x80, 0x80]),
        ]
        for (what, bytes) in invalid {
            lines.append((what, line(team, rawString: Array("Secret".utf8) + bytes + Array("Team".utf8), "\"}"),
                          "malformed", ["'name'", "UTF-8"]))
        }
        lines.append(("invalid UTF-8 in a list", line(#"{"command":"InviteProviders","actor":"u-amy","emails":["a@example.com",""#,
                                                      rawString: [0x73, 0xE9, 0x40, 0x78, 0x2E, 0x63, 0x6F], "\"]}"),
                      "malformed", ["'emails'", "UTF-8"]))
        for escape in [#"\ud800"#, #"\udc00"#, #"\ud800x"#, #"\ud800\u0041"#, #"\udbff\udbff"#] {
            lines.append(("escaped lone surrogate \(escape)", Data((team + "Secret" + escape + "\"}").utf8), "malformed", ["'name'", "surrogate"]))
        }
        let duplicates = [
            (#"{"command":"CreateTeam","actor":"u-bob","name":"Secret","name":"Other"}"#, "'name'"),
            (#"{"command":"CreateTeam","actor":"u-bob","actor":"u-acme","name":"Secret"}"#, "'actor'"),
            (#"{"command":"CreateTeam","command":"LeaveTeam","actor":"u-bob","name":"Secret","teamId":"t-acme"}"#, "'command'"),
            (#"{"command":"CreateTeam","actor":"u-bob","name":"Secret","n\u0061me":"Other"}"#, "'name'"),
        ]
        for (json, field) in duplicates {
            lines.append(("a key given twice: \(field)", Data(json.utf8), "malformed", [field, "twice"]))
        }
        for number in ["1e3", "100.0000000000000001", "100.0", "-0", "1E2", "1e+2", "100.5e1", "-0.0"] {
            lines.append(("amountCents \(number)", Data((payment + number + "}").utf8), "malformed", ["'amountCents'", "whole number"]))
        }
        lines.append(("a team name of 200 characters and 4,200 bytes",
                      Data((team + stacked(200, marks: 10) + "\"}").utf8), "invalidInput", ["team name", "200 bytes"]))
        lines.append(("a message of 100 characters and 20,100 bytes",
                      Data((#"{"command":"SendMessage","actor":"u-bob","recipientId":"u-kim","subject":"S","body":""#
                            + stacked(100, marks: 100) + "\"}").utf8), "invalidInput", ["message", "10000 bytes"]))
        lines.append(("a reason of 2,001 bytes in 1,001 characters",
                      Data((#"{"command":"DeclineInterview","actor":"u-sam","interviewId":"iv-1","reason":""#
                            + String(repeating: "é", count: 1_000) + "x\"}").utf8), "invalidInput", ["reason", "2000 bytes"]))
        return lines
    }

    @Test func execRefusesJSONThatWouldBeAlteredAndChangesNothing() throws {
        let cli = try BadInputFixture.store()
        let before = try StoreSnapshot(cli.store)
        let cases = Self.alteredLines()
        var file = Data()
        for (index, item) in cases.enumerated() {
            if index > 0 { file.append(10) }
            file.append(item.line)
        }
        let path = cli.root + "/altered.jsonl"
        try file.write(to: URL(fileURLWithPath: path))
        let result = try cli.run(["exec", path])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("teamlog: error: \(cases.count) command(s) failed; the first, on line 1: "), "\(result.stderr)")
        let results = try result.jsonLines()
        #expect(results.count == cases.count)
        for (result, item) in zip(results, cases) {
            #expect(result["ok"] as? Bool == false && result["code"] as? String == item.code, "\(item.what): \(result)")
            let message = result["error"] as? String ?? ""
            BadInputTests.expect(message, mentions: item.mentions, item.what)
            #expect(!message.contains("Secret") && !message.contains("Other") && !message.contains("\u{FFFD}"),
                    "\(item.what): the message quotes the value: \(message)")
        }
        // One at a time too, each line on its own through standard input.
        for item in cases.prefix(3) {
            let path = cli.root + "/one.jsonl"
            try item.line.write(to: URL(fileURLWithPath: path))
            let single = try cli.run(["exec", path, "--stop-on-error"])
            #expect(single.status == 2, "\(item.what): \(single.stderr)")
        }
        #expect(try StoreSnapshot(cli.store).changes(since: before) == [], "a refused line changed the store")
        print("hostile input: exec: \(cases.count) lines that a lenient parser would alter refused, the store unchanged")
    }

    /// The subcommands' own arguments: byte limits, and bytes that are not UTF-8 (given through a shell,
    /// since Foundation's `Process` takes only valid strings).
    @Test func subcommandArgumentsAreLimitedInBytesAndMustBeUTF8() throws {
        let cli = try BadInputFixture.store()
        let before = try StoreSnapshot(cli.store)
        let limited: [(arguments: [String], mentions: [String])] = [
            (["create-team", "--actor", "u-bob", "--name", Self.stacked(200, marks: 10)], ["team name", "200 bytes"]),
            (["send-message", "--actor", "u-bob", "--recipient-id", "u-kim", "--subject", "S", "--body", Self.stacked(100, marks: 100)],
             ["message", "10000 bytes"]),
            (["send-message", "--actor", "u-bob", "--recipient-id", "u-kim", "--subject", Self.stacked(20, marks: 10), "--body", "B"],
             ["subject", "200 bytes"]),
            (["post-job", "--actor", "u-bob", "--title", String(repeating: "€", count: 67), "--description", "D", "--visibility", "public"],
             ["title", "200 bytes"]),
        ]
        for input in limited {
            let result = try cli.run(input.arguments)
            #expect(result.status == 2, "\(input.arguments.prefix(1)): \(result.stderr)")
            BadInputTests.expect(result.stderr, mentions: input.mentions, "\(input.arguments.prefix(1))")
        }
        let invalid: [(script: String, mentions: [String])] = [
            (#"exec "$0" create-team --actor u-bob --name "Secret$(printf '\377\376')" --store "$1""#, ["--name", "UTF-8"]),
            (#"exec "$0" create-team --actor u-bob --name="Secret$(printf '\300\257')" --store "$1""#, ["--name", "UTF-8"]),
            (#"exec "$0" send-message --actor u-bob --recipient-id u-kim --subject S --body "Secret$(printf '\355\240\200')" --store "$1""#,
             ["--body", "UTF-8"]),
            (#"exec "$0" create-team --actor "u-b$(printf '\351')" --name Secret --store "$1""#, ["--actor", "UTF-8"]),
        ]
        for input in invalid {
            let result = try cli.run(["-c", input.script, CLI.binary, cli.store], withStore: false, executable: "/bin/sh")
            #expect(result.status == 2, "\(input.script): \(result.stdout) \(result.stderr)")
            BadInputTests.expect(result.stderr, mentions: input.mentions, input.script)
            #expect(!result.stderr.contains("Secret"), "\(input.script): \(result.stderr)")
        }
        #expect(try StoreSnapshot(cli.store).changes(since: before) == [], "a refused argument changed the store")
    }

    // MARK: - SQL without bounds

    static let endless = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c"
    /// Endless too, and it reads `users`: it holds a read lock on views/users.sqlite while it runs.
    static let endlessOverUsers = endless + " WHERE x > (SELECT count(*) FROM users)"

    /// A `teamlog` process running in the background.
    final class Background: @unchecked Sendable {
        let process = Process()
        private let out = Pipe(), err = Pipe()
        private let group = DispatchGroup()
        private var outData = Data(), errData = Data()

        init(_ arguments: [String], store: String, environment: [String: String] = [:]) throws {
            process.executableURL = URL(fileURLWithPath: CLI.binary)
            process.arguments = arguments + ["--store", store]
            var env = ProcessInfo.processInfo.environment
            env["TEAMLOG_STORE"] = nil
            env["TEAMLOG_SQL_TIMEOUT"] = nil
            for (key, value) in environment { env[key] = value }
            process.environment = env
            process.standardOutput = out
            process.standardError = err
            process.standardInput = FileHandle.nullDevice
            try process.run()
            group.enter()
            DispatchQueue.global().async { [self] in
                outData = out.fileHandleForReading.readDataToEndOfFile()
                group.leave()
            }
            group.enter()
            DispatchQueue.global().async { [self] in
                errData = err.fileHandleForReading.readDataToEndOfFile()
                group.leave()
            }
        }

        /// Waits at most `seconds`; nil (and the process killed) if it had not finished by then.
        func wait(seconds: Double) -> RunResult? {
            let deadline = Date().addingTimeInterval(seconds)
            while process.isRunning, Date() < deadline { usleep(50_000) }
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                group.wait()
                return nil
            }
            process.waitUntilExit()
            group.wait()
            return RunResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                             stderr: String(decoding: errData, as: UTF8.self))
        }

        deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
    }

    @Test func anEndlessStatementIsStoppedByItsTimeLimit() throws {
        let cli = try BadInputFixture.store()
        let before = try StoreSnapshot(cli.store)
        let runs: [(arguments: [String], environment: [String: String], limit: String)] = [
            (["sql", Self.endless], [:], "5 s"),
            (["sql", "--timeout", "1", Self.endless], [:], "1 s"),
            (["sql", Self.endless], ["TEAMLOG_SQL_TIMEOUT": "1"], "1 s"),
            (["sql", "--timeout", "0.5", Self.endless], ["TEAMLOG_SQL_TIMEOUT": "100"], "0.5 s"),
        ]
        for run in runs {
            let started = Date()
            let result = try #require(try Background(run.arguments, store: cli.store, environment: run.environment).wait(seconds: 60),
                                      "\(run.arguments) \(run.environment) still ran after 60 s")
            #expect(result.status == 75, "\(run.arguments) \(run.environment) exited \(result.status): \(result.stderr)")
            BadInputTests.expect(result.stderr, mentions: ["time limit of \(run.limit)", "--timeout", "TEAMLOG_SQL_TIMEOUT"], "\(run.arguments)")
            #expect(Date().timeIntervalSince(started) < 60)
        }
        // A statement that ends in time is not affected; bad limits are usage errors.
        let quick = try cli.run(["sql", "--timeout", "1", "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c LIMIT 1000) SELECT count(*) FROM c"])
        #expect(quick.status == 0 && quick.stdout.contains("1000"), "\(quick.stderr)")
        for bad in ["0", "-1", "soon", "nan"] {
            let result = try cli.run(["sql", "--timeout", bad, "SELECT 1"])
            #expect(result.status == 64, "--timeout \(bad): \(result.stderr)")
            BadInputTests.expect(result.stderr, mentions: ["--timeout"], bad)
        }
        let badEnvironment = try cli.run(["sql", "SELECT 1"], environment: ["TEAMLOG_SQL_TIMEOUT": "soon"])
        #expect(badEnvironment.status == 64, "\(badEnvironment.stderr)")
        BadInputTests.expect(badEnvironment.stderr, mentions: ["TEAMLOG_SQL_TIMEOUT"], "TEAMLOG_SQL_TIMEOUT=soon")
        #expect(try StoreSnapshot(cli.store).changes(since: before) == [])
    }

    static let newUser = #"{"command":"RegisterAccount","actor":"u-new","userId":"u-new","role":"buyer","name":"New User","email":"new@example.com"}"#

    /// By default a query that waits behind a long `sql` gets the view once the statement's time limit stops it.
    @Test func aQueryBehindALongStatementSucceedsByDefault() throws {
        let cli = try BadInputFixture.store()
        let long = try Background(["sql", Self.endlessOverUsers], store: cli.store)
        usleep(2_000_000) // the statement is running, holding its read locks on every view
        try cli.ok(["exec", try cli.file("new.jsonl", Self.newUser)])
        let query = try cli.run(["query", "users", "--format", "json"])
        #expect(query.status == 0, "query users exited \(query.status): \(query.stderr)")
        #expect(query.stdout.contains("u-new"))
        let statement = try #require(long.wait(seconds: 60))
        #expect(statement.status == 75, "\(statement.stderr)")
    }

    /// A statement given more time than the views' busy timeout: a query and a rebuild that cannot get
    /// the view in time say so truthfully (busy, exit 75), never "failure" or "being rebuilt".
    @Test func readersAndRebuildsBesideALongerStatementReportBusyTruthfully() throws {
        let cli = try BadInputFixture.store()
        let long = try Background(["sql", Self.endlessOverUsers], store: cli.store, environment: ["TEAMLOG_SQL_TIMEOUT": "25"])
        usleep(2_000_000)
        try cli.ok(["exec", try cli.file("new.jsonl", Self.newUser)])
        let query = try Background(["query", "users"], store: cli.store)
        let rebuild = try Background(["rebuild", "users"], store: cli.store)
        for (name, process) in [("query users", query), ("rebuild users", rebuild)] {
            let result = try #require(process.wait(seconds: 60), "\(name) still ran after 60 s")
            #expect([0, 75].contains(result.status), "\(name) exited \(result.status): \(result.stderr)")
            print("hostile input: beside a 25 s statement over users, \(name) exited \(result.status)")
            if result.status == 75 {
                BadInputTests.expect(result.stderr, mentions: ["views/users.sqlite", "another process", "reading or writing", "retry"], name)
            }
            #expect(!result.stderr.contains("being rebuilt"), "\(name): \(result.stderr)")
            #expect(!result.stderr.contains("teamlog rebuild"), "\(name): \(result.stderr)")
        }
        let statement = try #require(long.wait(seconds: 60))
        #expect(statement.status == 75, "\(statement.stderr)")
        // Once it is gone, the query answers and the rebuild runs.
        #expect(try cli.ok(["query", "users", "--format", "json"]).stdout.contains("u-new"))
        try cli.ok(["rebuild", "users"])
    }

    @Test func unsafeFunctionsAreRefusedWithExit64() throws {
        let cli = try BadInputFixture.store()
        let before = try StoreSnapshot(cli.store)
        let statements = [
            "SELECT fts3_tokenizer('simple')",
            "SELECT hex(fts3_tokenizer('simple'))",
            "SELECT fts3_tokenizer('mine', fts3_tokenizer('simple'))",
            "SELECT fts3_tokenizer('mine', x'0000000000000000')",
            "WITH t(p) AS (SELECT fts3_tokenizer('porter')) SELECT length(p) FROM t",
            "SELECT FTS3_TOKENIZER('simple')",
            "SELECT load_extension('libc.so.6')",
            "SELECT load_extension('libc.so.6', 'abort')",
        ]
        try cli.expectSQLRefused(statements) { $0.lowercased().contains("not allowed") }
        #expect(try StoreSnapshot(cli.store).changes(since: before) == [])
    }
}
