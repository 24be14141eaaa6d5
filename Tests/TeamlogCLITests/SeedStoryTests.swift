import Foundation
import Testing

/// The seed documents' story, run through the built binary as a user would, with the views checked.
@Suite struct SeedStoryTests {
    static let cast = """
        {"command":"RegisterAccount","actor":"u-amy","userId":"u-amy","role":"affiliateManager","name":"Amy Adams","email":"amy@agency.example"}
        {"command":"RegisterAccount","actor":"u-acme","userId":"u-acme","role":"providerCompany","name":"Acme Dev Co","email":"ops@acme.example"}
        {"command":"RegisterAccount","actor":"u-sam","userId":"u-sam","role":"provider","name":"Sam Okafor","email":"sam@example.net"}
        {"command":"RegisterAccount","actor":"u-bob","userId":"u-bob","role":"buyer","name":"Bob Baker","email":"bob@shop.example"}
        {"command":"RegisterAccount","actor":"u-sue","userId":"u-sue","role":"staffingManager","name":"Sue Park","email":"sue@shop.example"}
        """

    @Test func theWholeSeedStoryThroughTheCommandLine() throws {
        let cli = try CLI()
        // Given the cast, registered in one batch.
        let registered = try cli.ok(["exec", try cli.file("cast.jsonl", Self.cast)])
        #expect(try registered.jsonLines().allSatisfy { $0["ok"] as? Bool == true })
        #expect(try registered.jsonLines().map { $0["line"] as? Int } == [1, 2, 3, 4, 5])

        // An affiliate manager invites providers; they sign up and appear on her roster.
        try cli.ok(["invite-providers", "--actor", "u-amy", "--email", "raj@example.com", "--email", "lena@example.org",
                    "--invitation-id", "inv-raj", "--invitation-id", "inv-lena", "--token", "k1", "--token", "k2"])
        try cli.ok(["accept-invitation", "--actor", "anonymous", "--token", "inv-raj.k1", "--name", "Raj Patel", "--user-id", "u-raj"])
        try cli.ok(["accept-invitation", "--actor", "anonymous", "--token", "inv-lena.k2", "--name", "Lena Novak", "--user-id", "u-lena"])
        let roster = try cli.ok(["query", "affiliate-roster", "u-amy", "--format", "json"]).json() as? [[String: Any]] ?? []
        #expect(roster.map { $0["provider_id"] as? String } == ["u-raj", "u-lena"])
        #expect(roster.map { $0["invitation_id"] as? String } == ["inv-raj", "inv-lena"])

        // A provider company posts a private job and invites a provider to interview.
        try cli.ok(["post-job", "--actor", "u-acme", "--job-id", "j-recruit", "--title", "Affiliated contractors wanted",
                    "--description", "Join our bench.", "--visibility", "private", "--purpose", "affiliateRecruitment"])
        let requested = try cli.ok(["request-interview", "--actor", "u-acme", "--job-id", "j-recruit", "--provider-id", "u-sam",
                                    "--message", "Hi Sam, would you join Acme?", "--interview-id", "iv-1", "--thread-id", "th-1"])
        #expect(requested.stdout.contains("\"ok\":true"))
        #expect(requested.stdout.contains("InterviewRequested"))

        // The message lands in the provider's inbox.
        let inbox = try cli.ok(["query", "inbox", "u-sam", "--format", "json"]).json() as? [String: Any] ?? [:]
        let threads = inbox["threads"] as? [[String: Any]] ?? []
        #expect(threads.map { $0["thread_id"] as? String } == ["th-1"])
        #expect(threads.first?["unread_count"] as? Int == 1)
        let messages = inbox["messages"] as? [[String: Any]] ?? []
        #expect(messages.map { $0["body"] as? String } == ["Hi Sam, would you join Acme?"])
        #expect(messages.first?["is_interview_invitation"] as? Int == 1)

        // They reply, the provider agrees and gives a user id; the company invites them to its team by user id.
        try cli.ok(["reply-to-thread", "--actor", "u-sam", "--thread-id", "th-1", "--body", "Yes! My user id is u-sam."])
        try cli.ok(["accept-interview", "--actor", "u-sam", "--interview-id", "iv-1"])
        let acmeInbox = try cli.ok(["query", "inbox", "u-acme", "--format", "json"]).json() as? [String: Any] ?? [:]
        #expect((acmeInbox["messages"] as? [[String: Any]])?.compactMap { $0["body"] as? String }
                == ["Hi Sam, would you join Acme?", "Yes! My user id is u-sam."])
        let interviews = try cli.ok(["query", "interviews", "j-recruit", "--format", "json"]).json() as? [[String: Any]] ?? []
        #expect(interviews.first?["status"] as? String == "accepted")

        let teamStory = """
            {"command":"CreateTeam","actor":"u-acme","teamId":"t-acme","name":"Acme Contractors"}
            {"command":"InviteToTeam","actor":"u-acme","teamId":"t-acme","userId":"u-sam","role":"affiliatedContractor","invitationId":"ti-1"}
            {"command":"AcceptTeamInvitation","actor":"u-sam","teamId":"t-acme","invitationId":"ti-1"}
            """
        try cli.ok(["exec", "-"], input: teamStory)

        // They appear on the roster and in the mailing list.
        let team = try cli.ok(["query", "team-roster", "t-acme", "--format", "json"]).json() as? [String: Any] ?? [:]
        let members = team["members"] as? [[String: Any]] ?? []
        #expect(members.map { $0["user_id"] as? String } == ["u-acme", "u-sam"])
        #expect(members.last?["role"] as? String == "affiliatedContractor")
        let mailing = team["mailing_list"] as? [[String: Any]] ?? []
        #expect(mailing.contains { $0["address"] as? String == "u-sam@odesk.com" })

        // A buyer invites a previous provider with their team room.
        let buyerStory = """
            {"command":"CreateTeam","actor":"u-bob","teamId":"t-bob","name":"Bob's Shop"}
            {"command":"EnableMarketplaceEmail","actor":"u-bob"}
            {"command":"InviteProviders","actor":"u-bob","emails":["kim@example.com"],"teamId":"t-bob","invitationIds":["inv-kim"],"tokens":["k3"]}
            {"command":"AcceptInvitation","actor":"anonymous","token":"inv-kim.k3","name":"Kim Lee","userId":"u-kim"}
            """
        try cli.ok(["exec", try cli.file("buyer.jsonl", buyerStory)])
        let bobTeam = try cli.ok(["query", "team-roster", "t-bob", "--format", "json"]).json() as? [String: Any] ?? [:]
        #expect((bobTeam["members"] as? [[String: Any]])?.compactMap { $0["user_id"] as? String } == ["u-bob", "u-kim"])
        let bobMailing = (bobTeam["mailing_list"] as? [[String: Any]])?.compactMap { $0["address"] as? String } ?? []
        #expect(Set(bobMailing) == ["u-bob@odesk.com", "u-kim@odesk.com"])

        // Work: a hire and a payment; the assignment's parties can all be emailed.
        try cli.ok(["post-job", "--actor", "u-bob", "--job-id", "j-site", "--title", "Shop website", "--description", "Rebuild it.",
                    "--visibility", "public"])
        try cli.ok(["hire", "--actor", "u-bob", "--job-id", "j-site", "--provider-id", "u-kim", "--staffing-manager-id", "u-sue",
                    "--assignment-id", "a-1"])
        try cli.ok(["record-payment", "--actor", "u-bob", "--assignment-id", "a-1", "--amount-cents", "50000", "--currency", "USD"])
        let assignment = try cli.ok(["query", "assignment", "a-1", "--format", "json"]).json() as? [String: Any] ?? [:]
        #expect(Set((assignment["parties"] as? [[String: Any]])?.compactMap { $0["user_id"] as? String } ?? []) == ["u-bob", "u-kim", "u-sue"])
        #expect((assignment["assignment"] as? [[String: Any]])?.first?["paid_cents"] as? Int == 50000)

        // The audit trail shows who did what on Acme's team, without personal data.
        let trail = try cli.ok(["log", "--stream", "team-t-acme", "--format", "jsonl"]).jsonLines()
        #expect(trail.map { $0["type"] as? String } == ["TeamCreated", "TeamMemberAdded", "TeamInvitationSent", "TeamMemberAdded"])
        #expect(trail.last?["actor"] as? String == "u-sam")
        #expect(trail.allSatisfy { $0["payload"] == nil })
    }

    @Test func theFirstSeedsConfusionIsExplained() throws {
        let cli = try CLI()
        try cli.ok(["exec", try cli.file("cast.jsonl", Self.cast)])
        // Inviting an address that already belongs to a member is not an invitation to the network.
        let result = try cli.run(["invite-providers", "--actor", "u-bob", "--email", "sam@example.net"])
        #expect(result.status == 2)
        #expect(result.stdout.contains("\"ok\":false"))
        #expect(result.stderr.contains("interview") || result.stderr.contains("team"))
        #expect(!result.stderr.contains("sam@example.net"))
        #expect(!result.stdout.contains("sam@example.net"))
        // A public post to recruit affiliated contractors points to a private job.
        let post = try cli.run(["post-job", "--actor", "u-acme", "--title", "Join us", "--description", "We recruit",
                                "--visibility", "public", "--purpose", "affiliateRecruitment"])
        #expect(post.status == 2)
        #expect(post.stdout.contains("publicAffiliateRecruitment"))
        #expect(post.stderr.contains("private job"))
    }
}
