import Foundation

/// The store every bad input is tried against: a cast of every role, a team with a member and a pending
/// invitation, a private job with an interview thread, a public job with an assignment, and network
/// invitations pending, accepted and revoked. Its views are caught up, so no later read has anything left
/// to write.
enum BadInputFixture {
    static let story = SeedStoryTests.cast + "\n" + """
        {"command":"RegisterAccount","actor":"u-kim","userId":"u-kim","role":"provider","name":"Kim Lee","email":"kim@example.com"}
        {"command":"RegisterAccount","actor":"u-eve","userId":"u-eve","role":"buyer","name":"Eve Stone","email":"eve@example.org"}
        {"command":"CreateTeam","actor":"u-acme","teamId":"t-acme","name":"Acme Contractors"}
        {"command":"InviteToTeam","actor":"u-acme","teamId":"t-acme","userId":"u-sam","role":"member","invitationId":"ti-sam"}
        {"command":"AcceptTeamInvitation","actor":"u-sam","teamId":"t-acme","invitationId":"ti-sam"}
        {"command":"InviteToTeam","actor":"u-acme","teamId":"t-acme","userId":"u-kim","invitationId":"ti-kim"}
        {"command":"PostJob","actor":"u-acme","jobId":"j-1","title":"Bench","description":"Join our bench.","visibility":"private","purpose":"affiliateRecruitment"}
        {"command":"RequestInterview","actor":"u-acme","jobId":"j-1","providerId":"u-sam","message":"Would you join?","interviewId":"iv-1","threadId":"th-1","messageId":"m-1"}
        {"command":"PostJob","actor":"u-bob","jobId":"j-site","title":"Shop website","description":"Rebuild it.","visibility":"public"}
        {"command":"Hire","actor":"u-bob","jobId":"j-site","providerId":"u-kim","staffingManagerId":"u-sue","assignmentId":"a-1"}
        {"command":"InviteProviders","actor":"u-amy","emails":["raj@example.com","yan@example.com"],"invitationIds":["inv-raj","inv-yan"],"tokens":["k1","k4"]}
        {"command":"InviteProviders","actor":"u-amy","emails":["lena@example.org"],"invitationIds":["inv-lena"],"tokens":["k2"]}
        {"command":"AcceptInvitation","actor":"anonymous","token":"inv-lena.k2","name":"Lena Novak","userId":"u-lena"}
        {"command":"InviteProviders","actor":"u-amy","emails":["old@example.org"],"invitationIds":["inv-old"],"tokens":["k3"]}
        {"command":"RevokeInvitation","actor":"u-amy","invitationId":"inv-old"}
        """

    /// A store with the story, its views caught up.
    static func store() throws -> CLI {
        let cli = try CLI()
        let loaded = try cli.run(["exec", try cli.file("story.jsonl", story)])
        guard loaded.status == 0 else { throw CLI.Failure("the fixture story failed: \(loaded.stdout)\(loaded.stderr)") }
        guard try cli.run(["sql", "SELECT count(*) FROM users"]).status == 0 else { throw CLI.Failure("the views did not catch up") }
        // One rejected command before the snapshot: if the loading process exited before SQLite had
        // folded the decision state's write-ahead log back into its file (seen once in CI, under load),
        // the next process to open and close the state does it, which moves bytes, not content.
        guard try cli.run(["create-team", "--actor", "u-nobody", "--name", "Settle"]).status == 2 else {
            throw CLI.Failure("the settling command was not rejected")
        }
        return cli
    }

    /// One valid run of every marketplace subcommand, in an order in which each succeeds on the story.
    static let validCommands: [(subcommand: String, arguments: [String])] = [
        ("register-account", ["--actor", "u-nia", "--user-id", "u-nia", "--role", "buyer", "--name", "Nia Obi", "--email", "nia@example.com"]),
        ("invite-providers", ["--actor", "u-amy", "--email", "zed@example.com", "--email", "xu@example.com",
                              "--invitation-id", "inv-zed", "--invitation-id", "inv-xu", "--token", "kz", "--token", "kx"]),
        ("accept-invitation", ["--actor", "anonymous", "--token", "inv-zed.kz", "--name", "Zed Ray", "--user-id", "u-zed"]),
        ("revoke-invitation", ["--actor", "u-amy", "--invitation-id", "inv-raj"]),
        ("expire-invitation", ["--actor", "system", "--invitation-id", "inv-xu"]),
        ("post-job", ["--actor", "u-bob", "--job-id", "j-2", "--title", "Logo", "--description", "A new logo.", "--visibility", "public",
                      "--purpose", "work"]),
        ("request-interview", ["--actor", "u-bob", "--job-id", "j-2", "--provider-id", "u-sam", "--message", "Talk?", "--subject", "Logo",
                               "--interview-id", "iv-2", "--thread-id", "th-2", "--message-id", "m-2"]),
        ("accept-interview", ["--actor", "u-sam", "--interview-id", "iv-2"]),
        ("decline-interview", ["--actor", "u-sam", "--interview-id", "iv-1", "--reason", "Fully booked"]),
        ("send-message", ["--actor", "u-bob", "--recipient-id", "u-kim", "--subject", "Hello", "--body", "Welcome", "--thread-id", "th-3",
                          "--message-id", "m-3"]),
        ("reply-to-thread", ["--actor", "u-kim", "--thread-id", "th-3", "--body", "Thanks", "--message-id", "m-4"]),
        ("share-contact-details", ["--actor", "u-kim", "--thread-id", "th-3", "--kind", "personal", "--email", "kim.lee@example.com",
                                   "--phone", "+1 555 0100"]),
        ("create-team", ["--actor", "u-bob", "--team-id", "t-bob", "--name", "Bob's Shop"]),
        ("invite-to-team", ["--actor", "u-bob", "--team-id", "t-bob", "--user-id", "u-kim", "--role", "member", "--invitation-id", "ti-bob"]),
        ("accept-team-invitation", ["--actor", "u-kim", "--team-id", "t-bob", "--invitation-id", "ti-bob"]),
        ("leave-team", ["--actor", "u-kim", "--team-id", "t-bob"]),
        ("remove-team-member", ["--actor", "u-acme", "--team-id", "t-acme", "--user-id", "u-sam"]),
        ("enable-marketplace-email", ["--actor", "u-bob"]),
        ("hire", ["--actor", "u-bob", "--job-id", "j-2", "--provider-id", "u-sam", "--staffing-manager-id", "u-sue", "--assignment-id", "a-2"]),
        ("end-assignment", ["--actor", "u-bob", "--assignment-id", "a-2"]),
        ("record-payment", ["--actor", "u-bob", "--assignment-id", "a-1", "--amount-cents", "5000", "--currency", "USD",
                            "--payment-id", "pay-1"]),
        ("record-invitation-email-sent", ["--actor", "system", "--invitation-id", "inv-yan", "--message-id", "<invitation.inv-yan@odesk.com>",
                                          "--attempt", "1", "--relay", "smtp://127.0.0.1:25"]),
        ("record-invitation-email-failed", ["--actor", "system", "--invitation-id", "inv-raj", "--message-id", "<invitation.inv-raj@odesk.com>",
                                            "--attempt", "1", "--relay", "smtp://127.0.0.1:25", "--reason", "451 try later",
                                            "--retry-at-micros", "1800000000000000"]),
    ]

    static func valid(_ subcommand: String) -> [String] {
        validCommands.first { $0.subcommand == subcommand }?.arguments ?? []
    }
}
