import EventLog
import Events
import Foundation
import Marketplace
import Testing

/// Ids a command creates, and the envelope's own ids: a taken or malformed id is a rejection that says
/// so (never a conflict, which tells the user to retry, nor a log error), and it appends nothing.
@Suite struct TakenIdTests {
    static var world: [MarketplaceEvent] {
        Cast.everyone + Cast.buyerTeam + Cast.job + [
            Cast.invited("inv1", by: Cast.affiliate, email: "new@example.com"),
            .interviewRequested(InterviewRequested(interviewId: "iv1", jobId: "j1", providerId: Cast.provider, requestedBy: Cast.buyer,
                                                   threadId: "th1")),
            .threadStarted(ThreadStarted(interviewId: "iv1", kind: .interview, participants: [Cast.buyer, Cast.provider],
                                         startedBy: Cast.buyer, subject: "Interview", threadId: "th1")),
            .providerHired(ProviderHired(assignmentId: "as1", buyerId: Cast.buyer, jobId: "j1", providerId: Cast.provider,
                                         staffingManagerId: Cast.staffing)),
            .messageSent(MessageSent(body: "Hello", messageId: "m1", senderId: Cast.buyer, threadId: "th1")),
            .paymentRecorded(PaymentRecorded(amountCents: 5_000, assignmentId: "as1", currency: "USD", paidBy: Cast.buyer, paymentId: "pay1")),
        ]
    }

    static let creations: [(String, Command)] = [
        (Cast.buyer, .postJob(PostJob(jobId: "j1", title: "T", description: "D", visibility: .public))),
        (Cast.buyer, .requestInterview(RequestInterview(jobId: "j1", providerId: Cast.provider2, message: "M", interviewId: "iv1"))),
        (Cast.buyer2, .createTeam(CreateTeam(teamId: Cast.team, name: "T"))),
        (Cast.buyer, .hire(Hire(jobId: "j1", providerId: Cast.provider2, staffingManagerId: Cast.staffing, assignmentId: "as1"))),
        (Cast.affiliate, .inviteProviders(InviteProviders(emails: ["x@example.com"], invitationIds: ["inv1"], tokens: ["k"]))),
        (Cast.affiliate, .inviteProviders(InviteProviders(emails: ["x@example.com", "y@example.com"], invitationIds: ["i9", "i9"],
                                                          tokens: ["k", "l"]))),
        // Invitation ids are unique across network and team invitations, accepted ones included.
        (Cast.affiliate, .inviteProviders(InviteProviders(emails: ["x@example.com"], invitationIds: ["ti0"], tokens: ["k"]))),
        (Cast.buyer, .inviteToTeam(InviteToTeam(teamId: Cast.team, userId: Cast.provider2, invitationId: "ti0"))),
        (Cast.buyer, .inviteToTeam(InviteToTeam(teamId: Cast.team, userId: Cast.provider2, invitationId: "inv1"))),
        ("anyone", .registerAccount(RegisterAccount(userId: Cast.buyer, role: .buyer, name: "N", email: "n@example.com"))),
        // Message and payment ids too: a payment sent again under its id must not be counted twice.
        (Cast.provider, .replyToThread(ReplyToThread(threadId: "th1", body: "Again", messageId: "m1"))),
        (Cast.buyer, .sendMessage(SendMessage(recipientId: Cast.provider2, subject: "S", body: "B", messageId: "m1"))),
        (Cast.buyer, .recordPayment(RecordPayment(assignmentId: "as1", amountCents: 5_000, currency: "USD", paymentId: "pay1"))),
        (Cast.staffing, .recordPayment(RecordPayment(assignmentId: "as1", amountCents: 100, currency: "EUR", paymentId: "pay1"))),
    ]

    /// Thread ids are taken too, but the refusal must not tell someone outside a thread that it exists.
    static let threadStarts: [(String, Command)] = [
        (Cast.buyer, .requestInterview(RequestInterview(jobId: "j1", providerId: Cast.provider2, message: "M", threadId: "th1"))),
        (Cast.buyer, .sendMessage(SendMessage(recipientId: Cast.provider2, subject: "S", body: "B", threadId: "th1"))),
    ]

    /// Each creation under a taken id as `alreadyExists` ("is taken"), each thread start under a taken
    /// thread id as `invalidInput` in neutral words.
    @Test(arguments: creations.indices.map { (false, $0) } + threadStarts.indices.map { (true, $0) })
    func aTakenIdIsRejected(threadStart: Bool, index: Int) throws {
        let (actor, command) = threadStart ? Self.threadStarts[index] : Self.creations[index]
        let s = try Scenario(Self.world)
        let message = s.expectRejection(actor, command, threadStart ? .invalidInput : .alreadyExists)
        if threadStart {
            #expect(message.contains("cannot be used for a new thread") && !message.contains("taken") && !message.contains("exist"), "\(message)")
        } else {
            #expect(message.contains("is taken"), "\(message)")
        }
    }

    @Test func reusedIdsAreRejectedAfterARestartToo() throws {
        let s = try Scenario(Self.world)
        try s.restart()
        s.expectRejection(Cast.buyer, .inviteToTeam(InviteToTeam(teamId: Cast.team, userId: Cast.provider2, invitationId: "ti0")), .alreadyExists)
        s.expectRejection(Cast.provider, .replyToThread(ReplyToThread(threadId: "th1", body: "Again", messageId: "m1")), .alreadyExists)
        s.expectRejection(Cast.buyer, .recordPayment(RecordPayment(assignmentId: "as1", amountCents: 1, currency: "USD", paymentId: "pay1")),
                          .alreadyExists)
        // Ids chosen in this session are known at once, and after another restart.
        _ = try s.run(Cast.buyer, .recordPayment(RecordPayment(assignmentId: "as1", amountCents: 2, currency: "USD", paymentId: "pay2")))
        _ = try s.run(Cast.buyer, .replyToThread(ReplyToThread(threadId: "th1", body: "New", messageId: "m2")))
        s.expectRejection(Cast.buyer, .recordPayment(RecordPayment(assignmentId: "as1", amountCents: 2, currency: "USD", paymentId: "pay2")),
                          .alreadyExists)
        try s.restart()
        s.expectRejection(Cast.provider, .replyToThread(ReplyToThread(threadId: "th1", body: "Again", messageId: "m2")), .alreadyExists)
        s.expectRejection(Cast.staffing, .recordPayment(RecordPayment(assignmentId: "as1", amountCents: 3, currency: "USD", paymentId: "pay2")),
                          .alreadyExists)
    }

    static let badEnvelopes: [CommandEnvelope] = [
        CommandEnvelope(actor: "", .registerAccount(RegisterAccount(userId: "n1", role: .buyer, name: "N", email: "n@example.com"))),
        CommandEnvelope(actor: "has space", .registerAccount(RegisterAccount(userId: "n1", role: .buyer, name: "N", email: "n@example.com"))),
        CommandEnvelope(actor: String(repeating: "a", count: 2_000), .acceptInvitation(AcceptInvitation(token: "inv1.secret", name: "N"))),
        CommandEnvelope(actor: Cast.buyer, commandId: String(repeating: "c", count: 2_000), .createTeam(CreateTeam(name: "T"))),
        CommandEnvelope(actor: Cast.buyer, commandId: "", .createTeam(CreateTeam(name: "T"))),
        CommandEnvelope(actor: Cast.buyer, correlationId: "a|b", .createTeam(CreateTeam(name: "T"))),
    ]

    @Test(arguments: badEnvelopes.indices)
    func aMalformedActorCommandOrCorrelationIdIsInvalidInput(index: Int) throws {
        let s = try Scenario(Self.world)
        let before = s.head
        do {
            _ = try s.market.execute(Self.badEnvelopes[index])
            Issue.record("accepted")
        } catch {
            #expect(error.rejection?.code == .invalidInput, "\(error)")
        }
        #expect(s.head == before)
    }

    @Test func aStateFileOfAnOlderFormatIsRebuiltFromTheLog() throws {
        let directory = NSTemporaryDirectory() + "teamlog-state-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = InMemoryEventStore()
        let first = try Marketplace(store: store, stateStore: try SQLiteDecisionStateStore(storeDirectory: directory))
        for event in Self.world { _ = try first.store.append(ProposedCommit(events: [Scenario.proposed(event)], actor: "test")) }
        try first.catchUp()
        try first.checkpoint()
        // Given a state file saved before team invitation, message and payment ids were indexed (format 1)…
        let path = directory + "/state/decisions.sqlite"
        #expect(try run("/usr/bin/sqlite3", [path, "PRAGMA user_version = 1; DELETE FROM state WHERE key LIKE 'claimed:%'"]) == 0)
        // …a new process rebuilds it from the log, and still knows those ids.
        let second = try Marketplace(store: store, stateStore: try SQLiteDecisionStateStore(storeDirectory: directory))
        #expect(try SQLiteDecisionStateStore(path: path).checkpoint() == 0)
        #expect(throws: MarketplaceError.self) {
            try second.execute(CommandEnvelope(actor: Cast.buyer, .inviteToTeam(InviteToTeam(teamId: Cast.team, userId: Cast.provider2,
                                                                                                invitationId: "ti0"))))
        }
        #expect(throws: MarketplaceError.self) {
            try second.execute(CommandEnvelope(actor: Cast.buyer, .recordPayment(RecordPayment(assignmentId: "as1", amountCents: 1,
                                                                                                  currency: "USD", paymentId: "pay1"))))
        }
    }

    private func run(_ executable: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
