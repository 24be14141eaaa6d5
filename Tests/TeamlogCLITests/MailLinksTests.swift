import Foundation
import Testing

/// "Email Your Team" and "email all parties" as `mailto:` URLs, and who an address reaches: every
/// provider's USERID@odesk.com, a buyer's only once the buyer enabled it.
struct MailLinksTests {
    static func workStore() throws -> CLI {
        let cli = try CLI()
        let story = SeedStoryTests.cast + "\n" + """
            {"command":"RegisterAccount","actor":"u-kim","userId":"u-kim","role":"provider","name":"Kim Lee","email":"kim@example.com"}
            {"command":"CreateTeam","actor":"u-bob","teamId":"t-bob","name":"Bob's Shop"}
            {"command":"InviteToTeam","actor":"u-bob","teamId":"t-bob","userId":"u-kim","invitationId":"ti-kim"}
            {"command":"AcceptTeamInvitation","actor":"u-kim","teamId":"t-bob","invitationId":"ti-kim"}
            {"command":"PostJob","actor":"u-bob","jobId":"j-site","title":"Shop website","description":"Rebuild it.","visibility":"public"}
            {"command":"Hire","actor":"u-bob","jobId":"j-site","providerId":"u-kim","staffingManagerId":"u-sue","assignmentId":"a-1"}
            """
        try cli.ok(["exec", try cli.file("work.jsonl", story)])
        return cli
    }

    @Test func aBuyerIsReachedOnlyOnceEnabled() throws {
        let cli = try Self.workStore()
        let parties = { () throws -> [String: String?] in
            let answer = try cli.ok(["query", "assignment", "a-1", "--format", "json"]).json() as? [String: Any] ?? [:]
            let rows = answer["parties"] as? [[String: Any]] ?? []
            return Dictionary(uniqueKeysWithValues: rows.map { ($0["party"] as? String ?? "", $0["address"] as? String) })
        }
        #expect(try parties() == ["buyer": nil, "provider": "u-kim@odesk.com", "staffingManager": "u-sue@odesk.com"])
        #expect(try cli.ok(["query", "assignment", "a-1", "--format", "mailto"]).stdout == "mailto:u-kim@odesk.com,u-sue@odesk.com\n")
        #expect(try cli.ok(["query", "mailing-list", "t-bob", "--format", "mailto"]).stdout == "mailto:u-kim@odesk.com\n")

        // Enabling reaches the buyer everywhere an address is offered, on assignments made before too.
        try cli.ok(["enable-marketplace-email", "--actor", "u-bob"])
        #expect(try parties() == ["buyer": "u-bob@odesk.com", "provider": "u-kim@odesk.com", "staffingManager": "u-sue@odesk.com"])
        #expect(try cli.ok(["query", "assignment", "a-1", "--format", "mailto"]).stdout
                == "mailto:u-bob@odesk.com,u-kim@odesk.com,u-sue@odesk.com\n")
        #expect(try cli.ok(["query", "mailing-list", "t-bob", "--format", "mailto"]).stdout == "mailto:u-bob@odesk.com,u-kim@odesk.com\n")
        #expect(try cli.ok(["query", "team-roster", "t-bob", "--format", "mailto"]).stdout == "mailto:u-bob@odesk.com,u-kim@odesk.com\n")

        // A rebuild gives the same answer.
        try cli.ok(["rebuild", "assignments"])
        #expect(try parties()["buyer"] == "u-bob@odesk.com")
    }

    @Test func mailtoIsOnlyForViewsWithAddresses() throws {
        let cli = try Self.workStore()
        let before = try cli.ok(["log", "--format", "jsonl"]).stdout
        for view in [["users"], ["jobs"], ["outbox"], ["teams", "u-bob"]] {
            let result = try cli.run(["query"] + view + ["--format", "mailto"])
            #expect(result.status == 64, "\(view)")
            #expect(result.stderr.contains("--format mailto is for the views with addresses to email"), "\(view): \(result.stderr)")
        }
        #expect(try cli.ok(["log", "--format", "jsonl"]).stdout == before)
    }

    @Test func addressesThatNeedItArePercentEncoded() throws {
        let cli = try CLI()
        try cli.ok(["register-account", "--actor", "u+1", "--user-id", "u+1", "--role", "provider", "--name", "P", "--email", "p@example.com"])
        try cli.ok(["register-account", "--actor", "u-c", "--user-id", "u-c", "--role", "providerCompany", "--name", "C", "--email", "c@example.com"])
        try cli.ok(["create-team", "--actor", "u-c", "--team-id", "t", "--name", "T"])
        try cli.ok(["invite-to-team", "--actor", "u-c", "--team-id", "t", "--user-id", "u+1", "--invitation-id", "ti"])
        try cli.ok(["accept-team-invitation", "--actor", "u+1", "--team-id", "t", "--invitation-id", "ti"])
        #expect(try cli.ok(["query", "mailing-list", "t", "--format", "mailto"]).stdout == "mailto:u%2B1@odesk.com,u-c@odesk.com\n")
    }
}
