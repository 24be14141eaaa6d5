import EventLog
import Events
import Synchronization

/// A deterministic marketplace history of about `events` events (same seed, same events, same times):
/// the log the projection crash tests kill their children over.
enum FixtureHistory {
    static func makeStore(events target: Int) throws -> InMemoryEventStore {
        let tick = Mutex<Int64>(1_700_000_000_000_000)
        let store = InMemoryEventStore(storeId: StoreID(bytes: Array(repeating: 9, count: 16)), clock: {
            tick.withLock { now in
                now += 250_000
                return now
            }
        })
        // One batch for the whole history (the in-memory store copies its state once per batch).
        var commits: [ProposedCommit] = []
        var count = 0
        var round = 0
        while count < target {
            appendRound(round, to: &commits)
            count = commits.reduce(0) { $0 + $1.events.count }
            round += 1
        }
        for result in try store.appendBatch(commits) { _ = try result.get() }
        return store
    }

    private static func commit(_ commits: inout [ProposedCommit], _ events: [any EventPayload], actor: String) {
        commits.append(ProposedCommit(
            events: events.map { ProposedEvent(stream: $0.stream, type: type(of: $0).eventType,
                                               schemaVersion: type(of: $0).schemaVersion, payload: $0.encodedPayload()) },
            actor: actor))
    }

    /// One buyer, one provider, a team, a job, an interview thread with a few messages, a hire and a payment.
    private static func appendRound(_ r: Int, to store: inout [ProposedCommit]) {
        let buyer = "b\(r)", provider = "p\(r)", team = "t\(r)", job = "j\(r)", thread = "th\(r)", interview = "i\(r)"
        for (user, role) in [(buyer, AccountRole.buyer), (provider, AccountRole.provider)] {
            commit(&store, [
                AccountRegistered(email: "\(user)@mail.example", name: "User \(user)", role: role, userId: user),
                EmailAddressClaimed(email: "\(user)@mail.example", userId: user),
            ], actor: user)
        }
        commit(&store, [
            TeamCreated(createdBy: buyer, name: "Team \(r)", teamId: team),
            TeamMemberAdded(role: .admin, teamId: team, userId: buyer, via: .creator),
            TeamInvitationSent(invitationId: "ti\(r)", invitedBy: buyer, role: .member, teamId: team, userId: provider),
        ], actor: buyer)
        commit(&store, [TeamMemberAdded(invitationId: "ti\(r)", role: .member, teamId: team, userId: provider, via: .teamInvitation)],
                   actor: provider)
        commit(&store, [JobPosted(description: "Job \(r)", jobId: job, postedBy: buyer, purpose: .work,
                                     title: "Job \(r)", visibility: r % 2 == 0 ? .public : .private)], actor: buyer)
        commit(&store, [
            InterviewRequested(interviewId: interview, jobId: job, providerId: provider, requestedBy: buyer, threadId: thread),
            ThreadStarted(interviewId: interview, kind: .interview, participants: [buyer, provider], startedBy: buyer,
                          subject: "Interview \(r)", threadId: thread),
            MessageSent(body: "Would you interview for job \(r)?", messageId: "m\(r)-0", senderId: buyer, threadId: thread),
        ], actor: buyer)
        for m in 1...(3 + r % 5) {
            let sender = m % 2 == 0 ? buyer : provider
            commit(&store, [MessageSent(body: "Message \(m) of round \(r)", messageId: "m\(r)-\(m)", senderId: sender, threadId: thread)],
                       actor: sender)
        }
        commit(&store, [InterviewAccepted(interviewId: interview, providerId: provider)], actor: provider)
        commit(&store, [ProviderHired(assignmentId: "a\(r)", buyerId: buyer, jobId: job, providerId: provider,
                                         staffingManagerId: buyer)], actor: buyer)
        commit(&store, [PaymentRecorded(amountCents: 100 * (r % 50 + 1), assignmentId: "a\(r)", currency: "USD",
                                           paidBy: buyer, paymentId: "pay\(r)")], actor: buyer)
        commit(&store, [ProviderInvited(email: "friend\(r)@mail.example", invitationId: "inv\(r)", invitedBy: provider,
                                           token: "tok\(r)")], actor: provider)
    }
}
