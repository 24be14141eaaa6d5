import Foundation
import Testing

/// The store's promises under faults nobody scripted, tried through the built `teamlog` with the README as
/// the manual: files of the store cut, emptied, deleted or replaced; views that saw what the log lost; the
/// way out (`recover`); a second writer after `rm store/lock`; many kills of `exec` in a row.
@Suite struct StoreFaultCLITests {
    /// A store with a demo history (about 3,000 events), its views and decision state caught up.
    static func demoStore() throws -> CLI {
        let cli = try CLI()
        let demo = try cli.run(["demo", "--events", "3000", "--seed", "3"])
        guard demo.status == 0 else { throw CLI.Failure("demo failed: \(demo.stderr)") }
        return cli
    }

    static func segment(_ cli: CLI) throws -> String {
        let names = try FileManager.default.contentsOfDirectory(atPath: cli.store + "/log").filter { $0.hasSuffix(".lz4") }.sorted()
        return cli.store + "/log/" + (names.last ?? "")
    }

    static func bytes(_ path: String) -> Data { FileManager.default.contents(atPath: path) ?? Data() }

    static func headPosition(_ cli: CLI) throws -> Int {
        let verify = try cli.run(["verify"])
        guard let line = verify.lines.first(where: { $0.hasPrefix("head position: ") }),
              let position = Int(line.dropFirst("head position: ".count)) else {
            throw CLI.Failure("verify printed no head: \(verify.stdout)\(verify.stderr)")
        }
        return position
    }

    static let command = #"{"command":"RegisterAccount","actor":"u-new","userId":"u-new","role":"buyer","name":"New Buyer","email":"new@example.com"}"#

    /// Every way the newest segment's tail can be lost, through the binary: `verify` names the loss and exits
    /// 65, every writer refuses (and leaves the log's bytes), every reader refuses to serve views that
    /// show what the log no longer holds.
    @Test func lostAcknowledgedCommitsAreNamedAndNothingAppendsOverThem() throws {
        let cli = try Self.demoStore()
        let head = try Self.headPosition(cli)
        let path = try Self.segment(cli)
        let whole = Self.bytes(path)
        for cut in [whole.count / 3, whole.count / 2, whole.count - 9, 80, 0] {
            FileManager.default.createFile(atPath: path, contents: whole.prefix(cut))
            let before = Self.bytes(path)
            let verify = try cli.run(["verify"])
            #expect(verify.status == 65, "cut at \(cut): verify exited \(verify.status): \(verify.stdout)")
            #expect(verify.stdout.contains("LOST positions=") && verify.stdout.contains("-\(head)"), "cut at \(cut): \(verify.stdout)")
            #expect(verify.stderr.contains("recover --accept-loss"))
            let exec = try cli.run(["exec", try cli.file("one.jsonl", Self.command)])
            #expect(exec.status == 65, "cut at \(cut): exec exited \(exec.status): \(exec.stderr)")
            let subcommand = try cli.run(["register-account", "--actor", "u-x", "--user-id", "u-x", "--role", "buyer",
                                          "--name", "X", "--email", "x@example.com"])
            #expect(subcommand.status == 65, "cut at \(cut): \(subcommand.stderr)")
            for reader in [["query", "users"], ["sql", "SELECT count(*) FROM users"], ["status"]] {
                let result = try cli.run(reader)
                #expect(result.status == 65, "cut at \(cut): \(reader) exited \(result.status)")
            }
            #expect(Self.bytes(path) == before, "cut at \(cut): the segment was changed")
        }
        // Deleted: the same.
        try FileManager.default.removeItem(atPath: path)
        #expect(try cli.run(["verify"]).status == 65)
        #expect(try cli.run(["exec", try cli.file("one.jsonl", Self.command)]).status == 65)
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    /// `recover` without `--accept-loss` says what it would cut and changes nothing; with it the log is cut,
    /// the loss is an event in the log, the views that saw more are rebuilt, and the store goes on.
    @Test func recoverAcceptsALossOnlyWhenToldAndRecordsIt() throws {
        let cli = try Self.demoStore()
        let head = try Self.headPosition(cli)
        let path = try Self.segment(cli)
        let whole = Self.bytes(path)
        FileManager.default.createFile(atPath: path, contents: whole.prefix(whole.count / 2))
        let before = try StoreSnapshot(cli.store)
        let dry = try cli.run(["recover"])
        #expect(dry.status == 65)
        #expect(dry.stdout.contains("LOST positions") && dry.stdout.contains("would remove: view users"))
        #expect(try StoreSnapshot(cli.store).changes(since: before) == [])
        #expect(try cli.run(["recover", "--accept-loss"]).status == 64, "--accept-loss needs --reason")
        let accepted = try cli.run(["recover", "--accept-loss", "--reason", "half the newest segment lost in a disk failure"])
        #expect(accepted.status == 0, "\(accepted.stdout)\(accepted.stderr)")
        let held = try #require(accepted.lines.first.flatMap { line in
            line.split(separator: "–").dropFirst().first.flatMap { Int($0.prefix { $0.isNumber }) }
        })
        #expect(held < head)
        let verify = try cli.run(["verify"])
        #expect(verify.status == 0 && verify.stdout.contains("head position: \(held + 1)"), "\(verify.stdout)")
        let trail = try cli.run(["log", "--stream", "$log", "--show-payload", "--format", "jsonl"])
        #expect(trail.status == 0 && trail.stdout.contains("$AcknowledgedLossAccepted"), "\(trail.stdout)")
        #expect(trail.stdout.contains("\\\"lostFrom\\\":\(held + 1)") || trail.stdout.contains("\"lostFrom\":\(held + 1)"), "\(trail.stdout)")
        // Views and commands work again, from the cut log.
        #expect(try cli.run(["status"]).status == 0)
        let exec = try cli.run(["exec", try cli.file("one.jsonl", Self.command)])
        #expect(exec.status == 0, "\(exec.stderr)")
        #expect(try cli.run(["query", "users"]).stdout.contains("u-new"))
        #expect(try cli.run(["verify", "--views"]).status == 0)
    }

    /// The record of the last acknowledged commit deleted: verify warns, a writer refuses until `recover`
    /// has checked the log and recorded its end, then goes on.
    @Test func aLostRecordOfWhatWasAcknowledgedStopsWritersUntilRecover() throws {
        let cli = try Self.demoStore()
        try FileManager.default.removeItem(atPath: cli.store + "/acknowledged")
        let verify = try cli.run(["verify"])
        #expect(verify.status == 0 && verify.stdout.contains("cannot be used"), "\(verify.stdout)")
        let exec = try cli.run(["exec", try cli.file("one.jsonl", Self.command)])
        #expect(exec.status == 65 && exec.stderr.contains("teamlog recover"), "\(exec.stderr)")
        let recover = try cli.run(["recover"])
        #expect(recover.status == 0 && recover.stdout.contains("ok: nothing acknowledged is missing"), "\(recover.stdout)")
        #expect(try cli.run(["exec", try cli.file("one.jsonl", Self.command)]).status == 0)
    }

    /// Chain values recorded by an auditor still check after the log grew; a wrong one is exit 65.
    @Test func chainValuesRecordedBeforeAppendsStillCheck() throws {
        let cli = try Self.demoStore()
        let first = try cli.run(["verify"])
        let recorded = try #require(first.lines.first { $0.hasPrefix("head: ") }).dropFirst("head: ".count)
        #expect(try cli.run(["exec", try cli.file("one.jsonl", Self.command)]).status == 0)
        let later = try cli.run(["verify", "--expect", String(recorded)])
        #expect(later.status == 0 && later.stdout.contains("1 recorded chain value(s) hold"), "\(later.stdout)")
        var wrong = String(recorded)
        // Another last hex digit: never the recorded value itself.
        let last = wrong.removeLast()
        wrong.append(last == "0" ? "1" : "0")
        let mismatch = try cli.run(["verify", "--expect", String(recorded), "--expect", wrong])
        #expect(mismatch.status == 65 && mismatch.stdout.contains("MISMATCH"), "\(mismatch.stdout)")
        #expect(try cli.run(["verify", "--expect", "12:nothex"]).status == 64)
    }

    /// `rm store/lock` while a writer runs: a second writer still gets the busy error, not the store.
    @Test func removingTheLockFileLetsNoSecondWriterIn() throws {
        let cli = try Self.demoStore()
        // A writer that holds the store while it reads its input from a pipe that stays open.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = ["exec", "-", "--store", cli.store]
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() } }
        input.fileHandleForWriting.write(Data((Self.command + "\n").utf8))
        // Wait until it holds the lock (its pid is in the note).
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, (try? String(contentsOfFile: cli.store + "/lock", encoding: .utf8))?.isEmpty ?? true { usleep(20_000) }
        try? FileManager.default.removeItem(atPath: cli.store + "/lock")
        let second = try cli.run(["register-account", "--actor", "u-y", "--user-id", "u-y", "--role", "buyer", "--name", "Y",
                                  "--email", "y@example.com", "--lock-timeout", "0.5"])
        #expect(second.status == 75, "the second writer exited \(second.status): \(second.stderr)")
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(try cli.run(["verify"]).status == 0)
    }

    /// Many kills of `exec` in a row, with enough new commands between them to fill the command table several
    /// times over: afterwards a writer appends promptly and nothing acknowledged is missing.
    @Test(.timeLimit(.minutes(10)))
    func execKilledManyTimesInARowLeavesAStoreThatAppends() throws {
        let cli = try CLI()
        var acknowledged: [String] = []
        for round in 0..<6 {
            let lines = (0..<1_500).map { n in
                #"{"command":"RegisterAccount","actor":"u-r\#(round)n\#(n)","userId":"u-r\#(round)n\#(n)","role":"buyer","name":"B","email":"r\#(round)n\#(n)@example.com","commandId":"cmd-\#(round)-\#(n)"}"#
            }
            let file = try cli.file("round\(round).jsonl", lines.joined(separator: "\n") + "\n")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CLI.binary)
            process.arguments = ["exec", file, "--store", cli.store]
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            try process.run()
            var data = Data()
            let deadline = Date().addingTimeInterval(120)
            // Kill it once it acknowledged most of its round.
            while Date() < deadline {
                let chunk = out.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                data.append(chunk)
                if data.reduce(0, { $0 + ($1 == 10 ? 1 : 0) }) >= 1_200 { break }
            }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let text = String(decoding: data, as: UTF8.self)
            // Only whole lines count: the last one may have been cut by the kill.
            let whole = text.hasSuffix("\n") ? text[...] : text[..<(text.lastIndex(of: "\n") ?? text.startIndex)]
            for line in whole.split(separator: "\n") where line.contains("\"ok\":true") { acknowledged.append(String(line)) }
        }
        #expect(acknowledged.count >= 6 * 1_000)
        let started = Date()
        let last = try cli.run(["exec", try cli.file("one.jsonl", Self.command)])
        #expect(last.status == 0, "\(last.stderr)")
        #expect(Date().timeIntervalSince(started) < 120, "the writer after the kills took too long (a hang?)")
        #expect(try cli.run(["verify"]).status == 0)
        let users = try cli.run(["sql", "SELECT count(*) AS n FROM users", "--format", "csv"])
        let count = Int(users.lines.last ?? "") ?? 0
        #expect(count >= acknowledged.count, "acknowledged \(acknowledged.count) accounts, the views hold \(count)")
    }
}

extension StoreFaultCLITests {
    /// A view file copied from another store is refused (exit 65, naming it), not served as this store's;
    /// a rebuild mends it.
    @Test func aViewFromAnotherStoreIsRefusedNotServed() throws {
        let cli = try Self.demoStore()
        let other = try CLI()
        #expect(try other.run(["demo", "--events", "500", "--seed", "9"]).status == 0)
        let users = try cli.run(["query", "users", "--format", "json"]).stdout
        for view in ["users", "inbox"] {
            try FileManager.default.removeItem(atPath: cli.store + "/views/\(view).sqlite")
            try FileManager.default.copyItem(atPath: other.store + "/views/\(view).sqlite", toPath: cli.store + "/views/\(view).sqlite")
        }
        for reader in [["query", "users"], ["sql", "SELECT count(*) FROM inbox_messages"], ["query", "inbox", "u-sam"]] {
            let result = try cli.run(reader)
            #expect(result.status == 65, "\(reader) exited \(result.status): \(result.stderr)")
            #expect(result.stderr.contains("another store's log") && result.stderr.contains("teamlog rebuild"), "\(result.stderr)")
        }
        #expect(try cli.run(["rebuild", "users", "inbox"]).status == 0)
        let after = try cli.run(["query", "users", "--format", "json"])
        #expect(after.status == 0 && after.stdout == users)
    }

    /// The whole `log/` directory removed: the loss is named (exit 65), not an I/O error.
    @Test func aRemovedLogDirectoryIsALoss() throws {
        let cli = try Self.demoStore()
        let head = try Self.headPosition(cli)
        try FileManager.default.removeItem(atPath: cli.store + "/log")
        let verify = try cli.run(["verify"])
        #expect(verify.status == 65 && verify.stdout.contains("LOST positions=1-\(head)"), "\(verify.stdout)\(verify.stderr)")
        for command in [["exec", try cli.file("one.jsonl", Self.command)], ["query", "users"], ["log"], ["status"], ["recover"]] {
            let result = try cli.run(command)
            #expect(result.status == 65, "\(command) exited \(result.status): \(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: cli.store + "/log/00000000000000000001.lz4"))
    }
}
