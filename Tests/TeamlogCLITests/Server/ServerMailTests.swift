import Foundation
import Testing

/// `teamlog serve --smtp …`: the outbox delivered while the server runs, through its own writer.
@Suite(.serialized) struct ServerMailTests {
    static func waitFor(_ seconds: Double = 30, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            usleep(50_000)
        }
        return try condition()
    }

    @Test func anInvitationSentOverHTTPIsEmailedWhileServing() throws {
        let cli = try CLI()
        try cli.ok(["exec", try cli.file("cast.jsonl", SeedStoryTests.cast)])
        let port = SMTPSink.closedPort()
        // The relay is down when the server starts: the email waits, retried with backoff.
        let served = try ServedStore(cli: cli, setup: nil, serveArguments: ["--smtp", "127.0.0.1:\(port)", "--retry-base", "1", "--retry-max", "1"])
        let amy = try served.key(actor: "u-amy", role: "user")
        let invited = try served.http.post("/v1/commands", key: amy, body: """
            {"command":"InviteProviders","actor":"u-amy","emails":["lena@example.org"],"invitationIds":["inv-lena"],"tokens":["secret-lena"]}
            """)
        #expect(invited.status == 200, "\(invited.text)")
        let outbox = { () throws -> [String: Any] in
            let rows = try served.http.get("/v1/views/outbox", key: served.systemKey).jsonArray()
            return rows.first ?? [:]
        }
        #expect(try Self.waitFor { try outbox()["attempts"] as? Int ?? 0 >= 1 }, "\(served.serverLog)")
        #expect(try outbox()["status"] as? String == "pending")

        // The relay comes up on that port: the loop's next pass delivers it.
        let sink = try SMTPSink(directory: cli.root + "/mail", arguments: ["--port", String(port)])
        #expect(try Self.waitFor { try !sink.messages().isEmpty }, "\(served.serverLog)")
        let message = try sink.messages()[0]
        #expect(message.to == ["lena@example.org"])
        #expect(message.body.contains("/affiliates/u-amy/confirm?token=inv-lena.secret-lena"))
        #expect(try Self.waitFor { try outbox()["status"] as? String == "sent" })
        #expect(!served.serverLog.contains("secret-lena"))

        // While the server delivers, `teamlog deliver` is refused: one delivery per store.
        let second = try cli.run(["deliver", "--smtp", sink.address])
        #expect(second.status == 75)
        #expect(second.stderr.contains("another mail delivery is running"))
        #expect(try served.stop() == 0)
    }
}
