import Foundation
import Testing

/// The operator's questions answered by views, without SQL: invitations by invitee, a user's
/// assignments and payments, all teams, a job's threads, an invitation (its token only when asked).
@Suite struct OperatorQueryTests {
    /// The story store, with a network invitation (a token) and an assignment with a payment.
    static func store() throws -> CLI {
        let cli = try QueryAndFormatTests.storyStore()
        try cli.ok(["exec", try cli.file("more.jsonl", """
            {"command":"InviteProviders","actor":"u-amy","emails":["Raj@Example.com"],"invitationIds":["inv-raj"],"tokens":["tok-raj"]}
            {"command":"PostJob","actor":"u-bob","jobId":"j-site","title":"Site","description":"Build it","visibility":"public"}
            {"command":"Hire","actor":"u-bob","jobId":"j-site","providerId":"u-sam","staffingManagerId":"u-sue","assignmentId":"a-1"}
            {"command":"RecordPayment","actor":"u-bob","assignmentId":"a-1","amountCents":5000,"currency":"USD","paymentId":"pay-1"}
            """)])
        return cli
    }

    /// A section's rows (a view of one section prints its rows alone).
    static func rows(_ result: RunResult, _ section: String) throws -> [[String: Any]] {
        if let rows = try result.json() as? [[String: Any]] { return rows }
        let json = try #require(try result.json() as? [String: Any], "\(result.stdout)")
        return try #require(json[section] as? [[String: Any]], "\(result.stdout)")
    }

    @Test func invitationsByInviteeEmail() throws {
        let cli = try Self.store()
        let found = try cli.ok(["query", "invitations", "--invitee", "raj@example.COM", "--format", "json"])
        let rows = try #require(try found.json() as? [[String: Any]])
        #expect(rows.map { $0["invitation_id"] as? String } == ["inv-raj"])
        #expect(rows.allSatisfy { $0["token"] == nil })
        let none = try cli.ok(["query", "invitations", "--invitee", "nobody@example.com", "--format", "json"])
        #expect((try none.json() as? [Any])?.isEmpty == true)
    }

    @Test func aUsersAssignmentsAndPayments() throws {
        let cli = try Self.store()
        let answer = try cli.ok(["query", "user-assignments", "u-sam", "--format", "json"])
        let assignments = try Self.rows(answer, "assignments")
        #expect(assignments.map { $0["assignment_id"] as? String } == ["a-1"])
        #expect(assignments.first?["party"] as? String == "provider")
        #expect(try Self.rows(answer, "payments").map { $0["payment_id"] as? String } == ["pay-1"])
        #expect(try Self.rows(try cli.ok(["query", "user-assignments", "u-amy", "--format", "json"]), "assignments").isEmpty)
        let unknown = try cli.run(["query", "user-assignments", "u-x"])
        #expect(unknown.status == 66 && unknown.stderr.hasPrefix(#"teamlog: error: no user "u-x""#))
    }

    @Test func allTeamsWithMemberCounts() throws {
        let cli = try Self.store()
        let teams = try #require(try cli.ok(["query", "all-teams", "--format", "json"]).json() as? [[String: Any]])
        #expect(teams.map { $0["team_id"] as? String } == ["t-acme"])
        #expect(teams.first?["members"] as? Int == 2)
        let refused = try cli.run(["query", "all-teams", "t-acme"])
        #expect(refused.status == 64 && refused.stderr.hasPrefix("teamlog: error: 'all-teams' takes no key"))
    }

    @Test func aJobsThreads() throws {
        let cli = try Self.store()
        let threads = try #require(try cli.ok(["query", "job-threads", "j-1", "--format", "json"]).json() as? [[String: Any]])
        #expect(threads.map { $0["thread_id"] as? String } == ["th-1"])
        #expect(threads.first?["provider_id"] as? String == "u-sam")
        let thread = try cli.ok(["query", "thread", "th-1", "--format", "json"])
        #expect(try Self.rows(thread, "thread").first?["message_count"] as? Int == 1)
        #expect(try Self.rows(thread, "participants").compactMap { $0["user_id"] as? String } == ["u-acme", "u-sam"])
        #expect(!thread.stdout.contains("Hello, Sam"))
        let noThread = try cli.run(["query", "thread", "th-x"])
        #expect(noThread.status == 66 && noThread.stderr.hasPrefix(#"teamlog: error: no thread "th-x""#))
        let unknown = try cli.run(["query", "job-threads", "j-x"])
        #expect(unknown.status == 66 && unknown.stderr.hasPrefix(#"teamlog: error: no job "j-x""#))
    }

    @Test func anInvitationsTokenOnlyWhenAsked() throws {
        let cli = try Self.store()
        let hidden = try cli.ok(["query", "invitation", "inv-raj"])
        #expect(!hidden.stdout.contains("tok-raj") && !hidden.stdout.contains("token"))
        #expect(hidden.stdout.contains("inv-raj"))
        let shown = try Self.rows(try cli.ok(["query", "invitation", "inv-raj", "--show-token", "--format", "json"]), "invitation")
        #expect((shown.first?["token"] as? String)?.hasSuffix("tok-raj") == true)
        let unknown = try cli.run(["query", "invitation", "inv-x", "--show-token"])
        #expect(unknown.status == 66 && unknown.stderr.hasPrefix(#"teamlog: error: no invitation "inv-x""#))
        let elsewhere = try cli.run(["query", "invitations", "--show-token"])
        #expect(elsewhere.status == 64 && elsewhere.stderr.hasPrefix("teamlog: error: 'invitations' shows no token"))
    }
}
