import Foundation
import Testing

/// Every documented exit code, with a representative message for each class of error.
@Suite struct ExitCodeTests {
    @Test func aRejectedCommandExits2WithItsCodeAndMessage() throws {
        let cli = try CLI()
        try cli.ok(["register-account", "--actor", "u-b", "--user-id", "u-b", "--role", "buyer", "--name", "B", "--email", "b@example.com"])
        try cli.ok(["register-account", "--actor", "u-k", "--user-id", "u-k", "--role", "provider", "--name", "K", "--email", "k@example.com"])
        // Only one rule is broken (the recipient is another user), so the code is that rule's.
        let result = try cli.run(["send-message", "--actor", "u-b", "--recipient-id", "u-k", "--subject", "Hi",
                                  "--body", "Secret body text", "--attachment", "cv.pdf"])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("teamlog: error: rejected (attachmentsNotAllowed): "))
        #expect(!result.stderr.contains("Secret body text"))
        let line = try result.jsonLines().first ?? [:]
        #expect(line["ok"] as? Bool == false)
        #expect(line["code"] as? String == "attachmentsNotAllowed")
    }

    @Test func usageErrorsExit64() throws {
        let cli = try CLI()
        let cases: [[String]] = [
            ["frobnicate"],
            ["register-account", "--actor", "u-1", "--role", "buyer", "--name", "A"],
            ["register-account", "--actor", "u-1", "--role", "king", "--name", "A", "--email", "a@example.com"],
            ["record-payment", "--actor", "u-1", "--assignment-id", "a", "--amount-cents", "lots", "--currency", "USD"],
            ["create-team", "--actor", "u-1", "--name", "T", "--colour", "red"],
            ["query", "nonsense"],
            ["query", "inbox"],
            ["log", "--since", "yesterday"],
            ["replay", "--as-of", "soon", "--out", "x.sqlite"],
        ]
        for arguments in cases {
            let result = try cli.run(arguments)
            #expect(result.status == 64, "\(arguments) exited \(result.status): \(result.stderr)")
            #expect(!result.stderr.isEmpty, "\(arguments) printed no error")
        }
        let missing = try cli.run(["register-account", "--actor", "u-1", "--role", "buyer", "--name", "A"])
        #expect(missing.stderr.contains("--email"))
        let view = try cli.run(["query", "nonsense"])
        #expect(view.stderr.contains("inbox"))
    }

    @Test func aMissingStoreOrFileExits66() throws {
        let cli = try CLI()
        for arguments in [["status"], ["query", "users"], ["log"], ["verify"], ["stats"]] {
            let result = try cli.run(arguments)
            #expect(result.status == 66, "\(arguments) exited \(result.status)")
            #expect(result.stderr.contains("there is no Teamlog store"))
        }
        let file = try cli.run(["exec", cli.root + "/missing.jsonl"])
        #expect(file.status == 66)
        #expect(file.stderr.contains("No such file"))
    }

    @Test func aBusyStoreExits75() throws {
        let cli = try CLI()
        try cli.ok(["init"])
        // Given a writer holding the store's lock (exec waiting on its standard input)…
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: CLI.binary)
        holder.arguments = ["exec", "-", "--store", cli.store]
        let input = Pipe(), output = Pipe()
        holder.standardInput = input
        holder.standardOutput = output
        try holder.run()
        defer {
            try? input.fileHandleForWriting.close()
            holder.waitUntilExit()
        }
        input.fileHandleForWriting.write(Data(#"{"command":"RegisterAccount","actor":"u-1","userId":"u-1","role":"buyer","name":"A","email":"a@example.com"}"#.utf8 + [10]))
        // …once it has answered its first command, it holds the lock.
        let answer = output.fileHandleForReading.availableData
        #expect(String(decoding: answer, as: UTF8.self).contains("\"ok\":true"))
        // When another process wants to write, it gives up and says so.
        let result = try cli.run(["create-team", "--actor", "u-1", "--name", "T", "--lock-timeout", "0.2"])
        #expect(result.status == 75)
        #expect(result.stderr.contains("busy"))
        // Readers are not blocked.
        #expect(try cli.run(["query", "users"]).status == 0)
    }

    @Test func damagedStorageExits65WithTheLocation() throws {
        let cli = try CLI()
        try cli.ok(["exec", try cli.file("cast.jsonl", SeedStoryTests.cast)])
        let verified = try cli.ok(["verify"])
        let hash = verified.lines.first { $0.hasPrefix("head hash: ") }.map { String($0.dropFirst("head hash: ".count)) } ?? ""
        #expect(hash.count == 64)
        #expect(try cli.run(["verify", "--expect-head", hash]).status == 0)
        let mismatch = try cli.run(["verify", "--expect-head", String(repeating: "0", count: 64)])
        #expect(mismatch.status == 65)
        #expect(mismatch.stderr.contains("head hash mismatch"))

        // Flip one byte in the middle of the segment.
        let logDirectory = cli.store + "/log"
        let segment = try #require(try FileManager.default.contentsOfDirectory(atPath: logDirectory).first { $0.hasSuffix(".lz4") })
        let path = logDirectory + "/" + segment
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[bytes.count / 2] ^= 0x5A
        try bytes.write(to: URL(fileURLWithPath: path))
        let damaged = try cli.run(["verify"])
        #expect(damaged.status == 65)
        #expect(damaged.stdout.contains("DAMAGED segment=\(segment) offset="))
        #expect(damaged.stderr.contains("segment \(segment), byte offset"))
        #expect(damaged.stderr.contains("position"))
    }

    @Test func helpExitsZeroAndShowsExamples() throws {
        let cli = try CLI()
        let help = try cli.run(["invite-providers", "--help"], withStore: false)
        #expect(help.status == 0)
        #expect(help.stdout.contains("--email"))
        #expect(help.stdout.contains("Example:"))
        let subcommands = ["init", "exec", "query", "sql", "log", "replay", "rebuild", "status", "verify", "stats", "demo",
                           "register-account", "invite-providers", "accept-invitation", "revoke-invitation", "expire-invitation",
                           "post-job", "request-interview", "accept-interview", "decline-interview", "send-message",
                           "reply-to-thread", "share-contact-details", "create-team", "invite-to-team", "accept-team-invitation",
                           "leave-team", "remove-team-member", "enable-marketplace-email", "hire", "end-assignment", "record-payment"]
        for subcommand in subcommands {
            let page = try cli.run([subcommand, "--help"], withStore: false)
            #expect(page.status == 0, "\(subcommand) --help exited \(page.status)")
            // The usage line and at least one example.
            #expect(page.stdout.components(separatedBy: "teamlog \(subcommand)").count >= 3, "\(subcommand) --help shows no example")
        }
        let root = try cli.run(["--help"], withStore: false)
        #expect(root.stdout.contains("query"))
        #expect(root.stdout.contains("Exit codes"))
    }
}
