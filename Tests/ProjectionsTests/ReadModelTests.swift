import EventLog
import Events
import GRDB
import Projections
import Testing

/// The rows each seed workflow produces in each view, read through the CLI's query helpers.
@Suite struct ReadModelTests {
    let store: InMemoryEventStore
    let dir = TemporaryDirectory()
    let queries: ReadModelQueries

    init() throws {
        store = makeStore()
        try MarketplaceHistory.build(store)
        queries = ReadModelQueries(runner: try ProjectionRunner(storeDirectory: dir.path), store: store)
    }

    func strings(_ result: QueryResult, _ column: String) -> [String?] {
        guard let index = result.columns.firstIndex(of: column) else { return [] }
        return result.rows.map { String.fromDatabaseValue($0[index]) }
    }

    func ints(_ result: QueryResult, _ column: String) -> [Int?] {
        guard let index = result.columns.firstIndex(of: column) else { return [] }
        return result.rows.map { Int.fromDatabaseValue($0[index]) }
    }

    @Test func theInterviewInvitationIsTheFirstMessageOfAThreadInTheProvidersInbox() throws {
        let inbox = try queries.inbox(user: "p1")
        #expect(strings(inbox.threads, "thread_id") == ["th1"])
        #expect(strings(inbox.threads, "kind") == ["interview"])
        #expect(strings(inbox.threads, "interview_id") == ["i1"])
        #expect(strings(inbox.messages, "message_id") == ["m1", "m2", "m3"])
        #expect(ints(inbox.messages, "is_interview_invitation") == [1, 0, 0])
        #expect(strings(inbox.messages, "body").first == "Would you interview for this job?")
        // p1 replied after the buyer's two messages: nothing unread for p1, one for the buyer
        #expect(inbox.unreadTotal == 0)
        let buyer = try queries.inbox(user: "b1")
        #expect(strings(buyer.threads, "thread_id") == ["th2", "th1"])
        #expect(ints(buyer.threads, "unread_count") == [0, 1])
        #expect(buyer.unreadTotal == 1)
        #expect(try queries.inbox(user: "p2").unreadTotal == 1)
    }

    @Test func contactDetailsAppearOnceShared() throws {
        let inbox = try queries.inbox(user: "b1")
        #expect(strings(inbox.contacts, "user_id") == ["p1"])
        #expect(strings(inbox.contacts, "kind") == ["marketplaceAddress"])
        #expect(strings(inbox.contacts, "email") == ["p1@odesk.com"])
        #expect(try queries.inbox(user: "p2").contacts.rows.isEmpty)
    }

    @Test func theTeamRosterSaysHowAndWhenEachMemberJoined() throws {
        let roster = try queries.teamRoster(team: "t1")
        #expect(strings(roster, "user_id") == ["b1", "p2", "p1", "b2"])
        #expect(strings(roster, "via") == ["creator", "networkInvitation", "teamInvitation", "teamInvitation"])
        #expect(strings(roster, "invited_as") == [nil, "email", "user_id", "email"])
        #expect(strings(roster, "invited_by") == [nil, "b1", "b1", "b1"])
        #expect(strings(roster, "role") == ["admin", "member", "member", "member"])
        #expect(strings(roster, "status") == ["active", "active", "active", "left"])
        #expect(ints(roster, "joined_at_micros").allSatisfy { ($0 ?? 0) > 0 })

        let agency = try queries.teamRoster(team: "t2")
        #expect(strings(agency, "user_id") == ["pc1", "p1"])
        #expect(strings(agency, "role") == ["admin", "affiliatedContractor"])
        #expect(strings(try queries.teams(ofUser: "p1"), "team_id") == ["t1", "t2"])
    }

    @Test func theTeamMailingListHasEveryProviderAndTheBuyersWhoEnabledTheirAddress() throws {
        let list = try queries.teamMailingList(team: "t1")
        // b1 enabled her address; b2 did not (and left); p1 and p2 are providers
        #expect(strings(list, "user_id") == ["b1", "p1", "p2"])
        #expect(strings(list, "address") == ["b1@odesk.com", "p1@odesk.com", "p2@odesk.com"])
        #expect(strings(try queries.teamMailingList(team: "t2"), "address") == ["p1@odesk.com", "pc1@odesk.com"])
    }

    @Test func theAffiliateRosterListsProvidersWithTheirInvitation() throws {
        let roster = try queries.affiliateRoster(manager: "am1")
        #expect(strings(roster, "provider_id") == ["p3"])
        #expect(strings(roster, "invitation_id") == ["inv2"])
        #expect(strings(roster, "invited_email") == ["aff@mail.example"])
        #expect(try queries.affiliateRoster(manager: "b1").rows.isEmpty)
    }

    @Test func invitationsCarryTheirStatus() throws {
        let all = try queries.invitations()
        #expect(strings(all, "invitation_id") == ["inv1", "ti1", "ti2", "ti3", "inv2", "inv3", "inv4"])
        #expect(strings(all, "kind") == ["network", "team", "team", "team", "network", "network", "network"])
        #expect(strings(all, "status") == ["accepted", "accepted", "accepted", "accepted", "accepted", "revoked", "expired"])
        #expect(strings(all, "accepted_by") == ["p2", "p1", "b2", "p1", "p3", nil, nil])
        // The v1 event was upcast: its `inviter` is read as `invited_by`
        #expect(strings(try queries.invitations(invitedBy: "p1"), "invitation_id") == ["inv3", "inv4"])
        #expect(strings(try queries.invitations(kind: "network", status: "accepted"), "invitation_id") == ["inv1", "inv2"])
    }

    @Test func aJobListsItsInterviewsWithTheirAnswers() throws {
        let jobs = try queries.jobs(postedBy: "b1")
        #expect(strings(jobs, "visibility") == ["private"])
        #expect(ints(jobs, "interview_count") == [2])
        let interviews = try queries.jobInterviews(job: "j1")
        #expect(strings(interviews, "interview_id") == ["i1", "i2"])
        #expect(strings(interviews, "status") == ["accepted", "declined"])
        #expect(strings(interviews, "decline_reason") == [nil, "busy"])
        #expect(strings(interviews, "thread_id") == ["th1", "th2"])
    }

    @Test func anAssignmentHasItsPartiesStatusAndPayments() throws {
        let result = try queries.assignment("a1")
        #expect(strings(result.assignment, "status") == ["ended"])
        #expect(ints(result.assignment, "paid_cents") == [12_550])
        #expect(strings(result.parties, "party") == ["buyer", "provider", "staffingManager"])
        #expect(strings(result.parties, "address") == ["b1@odesk.com", "p1@odesk.com", "sm1@odesk.com"])
        #expect(strings(result.payments, "payment_id") == ["pay1", "pay2"])
        #expect(ints(result.payments, "amount_cents") == [10_000, 2_550])
    }

    @Test func usersHaveTheirRoleSignupAndMarketplaceAddress() throws {
        let users = try queries.users()
        #expect(strings(users, "user_id") == ["b1", "b2", "p1", "pc1", "am1", "sm1", "p2", "p3"])
        #expect(strings(try queries.users(role: "provider"), "user_id") == ["p1", "p2", "p3"])
        #expect(strings(users, "invitation_id")[6] == "inv1")
        #expect(ints(users, "marketplace_email_enabled") == [1, 0, 0, 0, 0, 0, 0, 0])
    }

    @Test func readOnlySQLSpansAllViewsAndRefusesWrites() throws {
        let joined = try queries.sql("""
            SELECT u.name, count(*) AS threads FROM inbox_participants p JOIN users u ON u.user_id = p.user_id
            GROUP BY u.user_id ORDER BY u.user_id
            """)
        #expect(joined.columns == ["name", "threads"])
        #expect(joined.rows.count == 3)
        #expect(throws: ProjectionError.self) { try queries.sql("DELETE FROM users") }
        #expect(throws: ProjectionError.self) { try queries.sql("SELEC nonsense") }
    }

    @Test func incrementalCatchUpAndRebuildAgreeOnEveryMarketplaceView() throws {
        // Catch up event by event
        let stepDir = TemporaryDirectory()
        let step = try ProjectionRunner(storeDirectory: stepDir.path,
                                        options: ProjectionRunnerOptions(batchSize: 1, missingViews: .createEmpty))
        let head = try store.head().position
        for p in stride(from: UInt64(1), through: head, by: 3) {
            try step.catchUp(PrefixStore(store, limit: p))
        }
        try step.catchUp(store)
        let rebuilt = try ProjectionRunner(storeDirectory: dir.path)
        try rebuilt.rebuild(store)
        let a = try step.status().map { [$0.name, $0.fingerprint] }
        let b = try rebuilt.status().map { [$0.name, $0.fingerprint] }
        #expect(a.count == ReadModels.all.count)
        #expect(a == b)
        // And as of the middle of the history, a replay equals a rebuild of that prefix
        let middle = head / 2
        let replay = try rebuilt.replay(store, asOf: .position(middle), output: dir.file("middle.sqlite"))
        let prefixDir = TemporaryDirectory()
        let prefix = try ProjectionRunner(storeDirectory: prefixDir.path)
        try prefix.rebuild(PrefixStore(store, limit: middle))
        #expect(replay.fingerprints == Dictionary(uniqueKeysWithValues: try prefix.status().map { ($0.name, $0.fingerprint ?? "") }))
    }
}
