import Foundation
import Testing

/// Invitation emails through the built `teamlog deliver`, against a real SMTP server on loopback
/// (aiosmtpd): what each email says, at least once with a stable Message-ID, a relay that is down or
/// dies, refusals for good, and tokens that never reach output or errors.
@Suite(.serialized) struct MailDeliveryTests {
    /// A buyer's invitation with a team, an affiliate manager's, and a provider's without a team.
    static func invitationStore() throws -> CLI {
        let cli = try CLI()
        let story = SeedStoryTests.cast + "\n" + """
            {"command":"CreateTeam","actor":"u-bob","teamId":"t-shop","name":"Bob's Shop"}
            {"command":"InviteProviders","actor":"u-bob","emails":["raj@example.com"],"teamId":"t-shop","invitationIds":["inv-raj"],"tokens":["secret-raj"]}
            {"command":"InviteProviders","actor":"u-amy","emails":["lena@example.org"],"invitationIds":["inv-lena"],"tokens":["secret-lena"]}
            {"command":"InviteProviders","actor":"u-sam","emails":["kim@example.com"],"invitationIds":["inv-kim"],"tokens":["secret-kim"]}
            """
        try cli.ok(["exec", try cli.file("story.jsonl", story)])
        return cli
    }

    static let tokens = ["inv-raj.secret-raj", "inv-lena.secret-lena", "inv-kim.secret-kim", "secret-raj", "secret-lena", "secret-kim"]

    static func outbox(_ cli: CLI) throws -> [String: [String: Any]] {
        let rows = try cli.ok(["query", "outbox", "--format", "json"]).json() as? [[String: Any]] ?? []
        return Dictionary(uniqueKeysWithValues: rows.map { ($0["invitation_id"] as? String ?? "", $0) })
    }

    static func expectNoToken(_ texts: String..., sourceLocation: SourceLocation = #_sourceLocation) {
        for text in texts {
            for token in tokens { #expect(!text.contains(token), "a token appeared in output or errors", sourceLocation: sourceLocation) }
        }
    }

    @Test func eachInvitationYieldsOneEmailWithItsSignupURL() throws {
        let cli = try Self.invitationStore()
        let pending = try Self.outbox(cli)
        #expect(pending.count == 3)
        #expect(pending.values.allSatisfy { $0["status"] as? String == "pending" && $0["attempts"] as? Int == 0 })
        #expect(pending["inv-raj"]?["subject"] as? String == "Bob Baker invites you to join oDesk and the team room of Bob's Shop")
        let listing = try cli.ok(["query", "outbox"])
        Self.expectNoToken(listing.stdout)

        let sink = try SMTPSink(directory: cli.root + "/mail")
        let delivered = try cli.run(["deliver", "--smtp", sink.address, "--mail-base-url", "https://market.example/"])
        #expect(delivered.status == 0, "\(delivered.stderr)")
        #expect(delivered.lines.last == "sent 3, refused 0, to retry 0")
        Self.expectNoToken(delivered.stdout, delivered.stderr)

        let messages = try sink.messages()
        #expect(messages.map(\.to) == [["raj@example.com"], ["lena@example.org"], ["kim@example.com"]])
        #expect(messages.allSatisfy { $0.from == "invitations@odesk.com" })
        let raj = messages[0], lena = messages[1], kim = messages[2]
        #expect(raj.header("Message-ID") == "<invitation.inv-raj@odesk.com>")
        #expect(raj.header("Subject") == "Bob Baker invites you to join oDesk and the team room of Bob's Shop")
        #expect(raj.body.contains("https://market.example/signup?token=inv-raj.secret-raj"))
        #expect(raj.body.contains("you join the team room of Bob's Shop"))
        // The affiliate manager's email carries the affiliate-specific confirmation URL.
        #expect(lena.body.contains("https://market.example/affiliates/u-amy/confirm?token=inv-lena.secret-lena"))
        #expect(lena.body.contains("Amy Adams is an affiliate manager"))
        #expect(!lena.body.contains("/signup?"))
        #expect(kim.header("Subject") == "Sam Okafor invites you to join oDesk")
        #expect(kim.body.contains("https://market.example/signup?token=inv-kim.secret-kim"))

        let sent = try Self.outbox(cli)
        #expect(sent.values.allSatisfy { $0["status"] as? String == "sent" && $0["attempts"] as? Int == 1 })
        #expect(sent["inv-lena"]?["relay"] as? String == "smtp://\(sink.address)")
        let events = try cli.ok(["log", "--type", "InvitationEmailSent", "--format", "jsonl"]).jsonLines()
        #expect(events.count == 3)
        #expect(events.allSatisfy { $0["actor"] as? String == "system" })

        // A second pass finds nothing due and sends nothing again.
        let again = try cli.run(["deliver", "--smtp", sink.address])
        #expect(again.status == 0)
        #expect(again.lines.last == "sent 0, refused 0, to retry 0")
        #expect(try sink.messages().count == 3)
    }

    @Test func aRelayThatIsDownIsRetriedWithBackoffAndNothingIsLost() throws {
        let cli = try Self.invitationStore()
        let port = SMTPSink.closedPort()
        let down = try cli.run(["deliver", "--smtp", "127.0.0.1:\(port)", "--retry-base", "3"])
        let failedAt = Date()
        #expect(down.status == 75, "\(down.stdout) \(down.stderr)")
        #expect(down.lines.last == "sent 0, refused 0, to retry 1, not tried 2 (the relay is unreachable)")
        Self.expectNoToken(down.stdout, down.stderr)
        let afterDown = try Self.outbox(cli)
        #expect(afterDown.values.allSatisfy { $0["status"] as? String == "pending" })
        #expect(afterDown["inv-raj"]?["attempts"] as? Int == 1)
        #expect(afterDown["inv-raj"]?["last_error"] as? String == "the relay smtp://127.0.0.1:\(port) cannot be reached: Connection refused (errno 111)")
        let failures = try cli.ok(["log", "--type", "InvitationEmailFailed", "--show-payload", "--format", "jsonl"]).jsonLines()
        #expect(failures.count == 1)

        // Not due yet: the retry waits 3 s; the two never tried are due, and the relay is up now.
        let sink = try SMTPSink(directory: cli.root + "/mail", arguments: ["--port", String(port)])
        let early = try cli.run(["deliver", "--smtp", sink.address])
        #expect(early.status == 0, "\(early.stderr)")
        #expect(try sink.messages().map(\.to) == [["lena@example.org"], ["kim@example.com"]])
        #expect(try Self.outbox(cli)["inv-raj"]?["status"] as? String == "pending")

        // Once due, the retried email goes out with the Message-ID of its first attempt.
        let wait = 3.2 - Date().timeIntervalSince(failedAt)
        if wait > 0 { usleep(useconds_t(wait * 1_000_000)) }
        let retried = try cli.run(["deliver", "--smtp", sink.address])
        #expect(retried.status == 0, "\(retried.stderr)")
        let messages = try sink.messages()
        try #require(messages.count == 3)
        #expect(messages[2].header("Message-ID") == "<invitation.inv-raj@odesk.com>")
        #expect(messages[2].to == ["raj@example.com"])
        let outbox = try Self.outbox(cli)
        #expect(outbox.values.allSatisfy { $0["status"] as? String == "sent" })
        #expect(outbox["inv-raj"]?["attempts"] as? Int == 2)
    }

    @Test func aRefusalForGoodIsFailedAndADeferralRetried() throws {
        let cli = try Self.invitationStore()
        let sink = try SMTPSink(directory: cli.root + "/mail", arguments: ["--refuse", "raj@example.com", "--defer", "kim@example.com"])
        let result = try cli.run(["deliver", "--smtp", sink.address, "--retry-base", "0"])
        #expect(result.status == 75, "\(result.stderr)")
        #expect(result.lines.last == "sent 1, refused 1, to retry 1")
        Self.expectNoToken(result.stdout, result.stderr)
        let outbox = try Self.outbox(cli)
        #expect(outbox["inv-raj"]?["status"] as? String == "failed")
        #expect((outbox["inv-raj"]?["last_error"] as? String)?.contains("550") == true)
        #expect(outbox["inv-lena"]?["status"] as? String == "sent")
        #expect(outbox["inv-kim"]?["status"] as? String == "pending")
        #expect((outbox["inv-kim"]?["last_error"] as? String)?.contains("451") == true)
        // The refused one is never tried again; the deferred one is, each time it is due.
        let again = try cli.run(["deliver", "--smtp", sink.address, "--retry-base", "0"])
        #expect(again.lines.last == "sent 0, refused 0, to retry 1")
        #expect(try Self.outbox(cli)["inv-kim"]?["attempts"] as? Int == 2)
        #expect(try sink.messages().count == 1)
    }

    @Test func aKillDuringDeliveryResendsTheSameEmail() throws {
        let cli = try Self.invitationStore()
        // The relay holds its answer to the end of the message: the email is received, then the
        // sender is killed before it can record it.
        let sink = try SMTPSink(directory: cli.root + "/mail", arguments: ["--delay-data", "30"])
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = ["deliver", "--smtp", sink.address, "--store", cli.store]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while try sink.messages().isEmpty, Date() < deadline { usleep(20_000) }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(try sink.messages().count == 1)
        #expect(try Self.outbox(cli).values.allSatisfy { $0["status"] as? String == "pending" })
        sink.kill()

        // At least once: the next pass sends it again, recognisably the same email.
        let relay = try SMTPSink(directory: cli.root + "/mail2")
        let result = try cli.run(["deliver", "--smtp", relay.address])
        #expect(result.status == 0, "\(result.stderr)")
        let first = try #require(try sink.messages().first), resent = try #require(try relay.messages().first)
        #expect(first.header("Message-ID") == resent.header("Message-ID"))
        #expect(first.to == resent.to)
        #expect(try Self.outbox(cli).values.allSatisfy { $0["status"] as? String == "sent" })
    }

    @Test func aRelayKilledMidConversationLeavesTheEmailPending() throws {
        let cli = try Self.invitationStore()
        let sink = try SMTPSink(directory: cli.root + "/mail", arguments: ["--delay-data", "30"])
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = ["deliver", "--smtp", sink.address, "--store", cli.store, "--retry-base", "0"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while try sink.messages().isEmpty, Date() < deadline { usleep(20_000) }
        sink.kill()
        process.waitUntilExit()
        let said = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 75, "\(said)")
        Self.expectNoToken(said)
        let outbox = try Self.outbox(cli)
        #expect(outbox.values.allSatisfy { $0["status"] as? String == "pending" })
        #expect(outbox["inv-raj"]?["attempts"] as? Int == 1)
    }

    @Test func aRelayThatStopsAnsweringIsGivenUpOnAndTriedAgain() throws {
        let cli = try Self.invitationStore()
        let sink = try SMTPSink(directory: cli.root + "/mail", arguments: ["--delay-data", "60"])
        let result = try cli.run(["deliver", "--smtp", sink.address, "--mail-timeout", "1", "--retry-base", "0"])
        #expect(result.status == 75, "\(result.stdout) \(result.stderr)")
        #expect(result.stdout.contains("no answer within the time limit"), "\(result.stdout)")
        let outbox = try Self.outbox(cli)
        #expect(outbox["inv-raj"]?["status"] as? String == "pending")
        #expect(outbox["inv-raj"]?["attempts"] as? Int == 1)
    }

    @Test func aRevokedInvitationsEmailIsCancelled() throws {
        let cli = try Self.invitationStore()
        try cli.ok(["revoke-invitation", "--actor", "u-sam", "--invitation-id", "inv-kim"])
        let sink = try SMTPSink(directory: cli.root + "/mail")
        try cli.ok(["deliver", "--smtp", sink.address])
        #expect(try sink.messages().flatMap(\.to) == ["raj@example.com", "lena@example.org"])
        #expect(try Self.outbox(cli)["inv-kim"]?["status"] as? String == "cancelled")
        let cancelled = try cli.ok(["query", "outbox", "--delivery", "cancelled", "--format", "json"]).json() as? [[String: Any]]
        #expect(cancelled?.map { $0["invitation_id"] as? String } == ["inv-kim"])
    }

    @Test func startTLSIsUsedWhenAskedAndRequired() throws {
        let cli = try Self.invitationStore()
        let cert = cli.root + "/cert.pem", key = cli.root + "/key.pem"
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        openssl.arguments = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2",
                             "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"]
        openssl.standardOutput = FileHandle.nullDevice
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        #expect(openssl.terminationStatus == 0)

        // A relay without TLS is not trusted with the emails when STARTTLS is required.
        let plain = try SMTPSink(directory: cli.root + "/plain")
        let refused = try cli.run(["deliver", "--smtp", plain.address, "--starttls", "--retry-base", "0"])
        #expect(refused.status == 75)
        #expect(refused.stdout.contains("does not offer STARTTLS"))
        #expect(try plain.messages().isEmpty)

        let tls = try SMTPSink(directory: cli.root + "/tls", arguments: ["--tls-cert", cert, "--tls-key", key])
        let sent = try cli.run(["deliver", "--smtp", "localhost:\(tls.port)", "--starttls", "--tls-ca", cert, "--retry-base", "0"])
        #expect(sent.status == 0, "\(sent.stdout) \(sent.stderr)")
        let messages = try tls.messages()
        #expect(messages.count == 3)
        #expect(messages.allSatisfy { $0.tls })
    }

    @Test func sendmailDeliversThroughTheSystemsInterface() throws {
        let cli = try Self.invitationStore()
        let sink = try SMTPSink(directory: cli.root + "/mail")
        // msmtp is a sendmail: it takes `-i -f FROM -- RECIPIENT` and the message on standard input.
        guard let msmtp = ["/usr/bin/msmtp", "/usr/local/bin/msmtp"].first(where: FileManager.default.isExecutableFile(atPath:)) else {
            Issue.record("msmtp is not installed: Tools/test installs it")
            return
        }
        let wrapper = try cli.file("sendmail", "#!/bin/sh\nexec \(msmtp) --host=127.0.0.1 --port=\(sink.port) \"$@\"\n")
        chmod(wrapper, 0o755)
        let result = try cli.run(["deliver", "--sendmail", wrapper])
        #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
        let messages = try sink.messages()
        #expect(messages.map(\.to) == [["raj@example.com"], ["lena@example.org"], ["kim@example.com"]])
        #expect(messages[1].body.contains("/affiliates/u-amy/confirm?token=inv-lena.secret-lena"))
        #expect(try Self.outbox(cli)["inv-kim"]?["relay"] as? String == "sendmail:\(wrapper)")

        // A sendmail that is missing defers the emails: nothing is lost.
        let other = try Self.invitationStore()
        let missing = try other.run(["deliver", "--sendmail", other.root + "/no-such-sendmail", "--retry-base", "0"])
        #expect(missing.status == 75)
        #expect(try Self.outbox(other).values.allSatisfy { $0["status"] as? String == "pending" })
    }

    @Test func onlyTheSystemRecordsDeliveriesAndBadOptionsAreRefused() throws {
        let cli = try Self.invitationStore()
        let before = try cli.ok(["log", "--format", "jsonl"]).stdout
        let forged = try cli.run(["record-invitation-email-sent", "--actor", "u-bob", "--invitation-id", "inv-raj",
                                  "--message-id", "<x@y>", "--attempt", "1", "--relay", "smtp://x:25"])
        #expect(forged.status == 2)
        #expect(forged.stderr.contains("recorded by the mail delivery"))
        let unknown = try cli.run(["record-invitation-email-sent", "--actor", "system", "--invitation-id", "inv-nope",
                                   "--message-id", "<x@y>", "--attempt", "1", "--relay", "smtp://x:25"])
        #expect(unknown.status == 2)
        #expect(try cli.ok(["log", "--format", "jsonl"]).stdout == before)

        for arguments in [["deliver"], ["deliver", "--smtp", "a:1", "--sendmail", "/x"], ["deliver", "--smtp", "no-port:x"],
                          ["deliver", "--sendmail", "/x", "--starttls"], ["deliver", "--smtp", "a:1", "--mail-from", "Bob <b@c>"],
                          ["deliver", "--smtp", "a:1", "--mail-base-url", "ftp://x"]] {
            let result = try cli.run(arguments)
            #expect(result.status == 64, "\(arguments): \(result.stderr)")
            #expect(result.stderr.hasPrefix("teamlog: error:") || result.stderr.contains("Error:"), "\(arguments): \(result.stderr)")
        }
        #expect(try cli.ok(["log", "--format", "jsonl"]).stdout == before)
    }
}
