import Events

/// What commands decide on, derived from the log: a read-through, write-back cache over a
/// `DecisionStateStore`. Invariant: the state equals the store's rows at its checkpoint plus the events
/// applied since, up to `position`.
final class DecisionState {
    let store: any DecisionStateStore
    /// The last log position applied.
    private(set) var position: UInt64
    /// The position the store's rows cover.
    private(set) var savedCheckpoint: UInt64
    /// Events applied since the last save.
    private(set) var unsavedEvents = 0

    private var users = RecordCache<UserRecord>()
    private var emails = RecordCache<EmailOwner>()
    private var invitations = RecordCache<InvitationRecord>()
    private var jobs = RecordCache<JobRecord>()
    private var interviews = RecordCache<InterviewRecord>()
    private var openInterviews = RecordCache<OpenInterview>()
    private var threads = RecordCache<ThreadRecord>()
    private var teams = RecordCache<TeamRecord>()
    private var assignments = RecordCache<AssignmentRecord>()
    private var commands = RecordCache<CommandPositions>()

    init(store: any DecisionStateStore) throws(MarketplaceError) {
        self.store = store
        savedCheckpoint = try store.checkpoint()
        position = savedCheckpoint
    }

    var cachedRecords: Int {
        users.count + emails.count + invitations.count + jobs.count + interviews.count + openInterviews.count
            + threads.count + teams.count + assignments.count + commands.count
    }

    // MARK: Reads

    func user(_ id: String) throws(MarketplaceError) -> UserRecord? { try users.get(id, from: store) }
    func owner(ofEmail normalized: String) throws(MarketplaceError) -> String? { try emails.get(normalized, from: store)?.value }
    func invitation(_ id: String) throws(MarketplaceError) -> InvitationRecord? { try invitations.get(id, from: store) }
    func job(_ id: String) throws(MarketplaceError) -> JobRecord? { try jobs.get(id, from: store) }
    func interview(_ id: String) throws(MarketplaceError) -> InterviewRecord? { try interviews.get(id, from: store) }
    func openInterview(job: String, provider: String) throws(MarketplaceError) -> String? {
        try openInterviews.get(job + "|" + provider, from: store)?.value
    }
    func thread(_ id: String) throws(MarketplaceError) -> ThreadRecord? { try threads.get(id, from: store) }
    func team(_ id: String) throws(MarketplaceError) -> TeamRecord? { try teams.get(id, from: store) }
    func assignment(_ id: String) throws(MarketplaceError) -> AssignmentRecord? { try assignments.get(id, from: store) }
    func commandPositions(_ commandId: String) throws(MarketplaceError) -> ClosedRange<UInt64>? {
        try commands.get(commandId, from: store)?.positions
    }

    // MARK: Changes

    /// Records that a commit (with a command id) occupies `positions`.
    func recordCommand(_ commandId: String, positions: ClosedRange<UInt64>) {
        commands.set(commandId, CommandPositions(positions))
    }

    /// Marks events up to `position` as applied.
    func advance(to newPosition: UInt64) {
        unsavedEvents += Int(newPosition - position)
        position = newPosition
    }

    /// Applies one event's effect on what decisions read.
    func apply(_ event: MarketplaceEvent) throws(MarketplaceError) {
        switch event {
        case .accountRegistered(let e):
            users.set(e.userId, UserRecord(userId: e.userId, role: e.role, version: 1))
        case .emailAddressClaimed(let e):
            emails.set(e.email, EmailOwner(value: e.userId))
        case .marketplaceEmailEnabled(let e):
            try update(&users, e.userId) { $0.marketplaceEmail = true; $0.version += 1 }
        case .providerInvited(let e):
            invitations.set(e.invitationId, InvitationRecord(invitationId: e.invitationId, invitedBy: e.invitedBy, email: e.email,
                                                             teamId: e.teamId, token: e.token, status: .pending, version: 1))
        case .inviteAccepted(let e):
            try update(&invitations, e.invitationId) { $0.status = .accepted; $0.version += 1 }
        case .invitationRevoked(let e):
            try update(&invitations, e.invitationId) { $0.status = .revoked; $0.version += 1 }
        case .invitationExpired(let e):
            try update(&invitations, e.invitationId) { $0.status = .expired; $0.version += 1 }
        case .affiliateRosterJoined:
            break
        case .jobPosted(let e):
            jobs.set(e.jobId, JobRecord(jobId: e.jobId, postedBy: e.postedBy, visibility: e.visibility, purpose: e.purpose, version: 1))
        case .interviewRequested(let e):
            interviews.set(e.interviewId, InterviewRecord(interviewId: e.interviewId, jobId: e.jobId, providerId: e.providerId,
                                                          threadId: e.threadId, status: .pending, version: 1))
            openInterviews.set(e.jobId + "|" + e.providerId, OpenInterview(value: e.interviewId))
        case .interviewAccepted(let e):
            try update(&interviews, e.interviewId) { $0.status = .accepted; $0.version += 1 }
        case .interviewDeclined(let e):
            guard let record = try interview(e.interviewId) else { throw Self.missing("interview", e.interviewId) }
            try update(&interviews, e.interviewId) { $0.status = .declined; $0.version += 1 }
            openInterviews.set(record.jobId + "|" + record.providerId, nil)
        case .threadStarted(let e):
            threads.set(e.threadId, ThreadRecord(threadId: e.threadId, participants: e.participants))
        case .messageSent, .contactDetailsShared:
            break
        case .teamCreated(let e):
            teams.set(e.teamId, TeamRecord(teamId: e.teamId, createdBy: e.createdBy, version: 1))
        case .teamInvitationSent(let e):
            try update(&teams, e.teamId) {
                $0.invitations[e.invitationId] = .init(userId: e.userId, role: e.role)
                $0.version += 1
            }
        case .teamMemberAdded(let e):
            try update(&teams, e.teamId) {
                $0.members[e.userId] = e.role
                if e.via == .teamInvitation, let id = e.invitationId { $0.invitations[id] = nil }
                $0.version += 1
            }
        case .teamMemberLeft(let e):
            try update(&teams, e.teamId) { $0.members[e.userId] = nil; $0.version += 1 }
        case .teamMemberRemoved(let e):
            try update(&teams, e.teamId) { $0.members[e.userId] = nil; $0.version += 1 }
        case .providerHired(let e):
            assignments.set(e.assignmentId, AssignmentRecord(assignmentId: e.assignmentId, buyerId: e.buyerId, providerId: e.providerId,
                                                             staffingManagerId: e.staffingManagerId, ended: false, version: 1))
        case .assignmentEnded(let e):
            try update(&assignments, e.assignmentId) { $0.ended = true; $0.version += 1 }
        case .paymentRecorded(let e):
            try update(&assignments, e.assignmentId) { $0.version += 1 }
        }
    }

    private func update<R: StateRecord>(_ cache: inout RecordCache<R>, _ id: String, _ change: (inout R) -> Void) throws(MarketplaceError) {
        guard var record = try cache.get(id, from: store) else { throw Self.missing(R.keyPrefix, id) }
        change(&record)
        cache.set(id, record)
    }

    private static func missing(_ kind: String, _ id: String) -> MarketplaceError {
        .state("an event refers to \(kind) '\(id)', which the decision state does not have")
    }

    // MARK: Saving

    /// Writes the changed rows and the position to the store in one transaction; when the cache holds more
    /// than `maxCachedRecords` records afterwards, empties it (it is read back on demand).
    func save(maxCachedRecords: Int) throws(MarketplaceError) {
        var rows: [(key: String, value: [UInt8]?)] = []
        users.drain(into: &rows)
        emails.drain(into: &rows)
        invitations.drain(into: &rows)
        jobs.drain(into: &rows)
        interviews.drain(into: &rows)
        openInterviews.drain(into: &rows)
        threads.drain(into: &rows)
        teams.drain(into: &rows)
        assignments.drain(into: &rows)
        commands.drain(into: &rows)
        if !rows.isEmpty || position != savedCheckpoint {
            try store.save(rows, checkpoint: position)
        }
        savedCheckpoint = position
        unsavedEvents = 0
        if cachedRecords > maxCachedRecords { clearCaches() }
    }

    /// Drops everything not saved: the state goes back to the store's checkpoint.
    func discardUnsaved() throws(MarketplaceError) {
        clearCaches()
        savedCheckpoint = try store.checkpoint()
        position = savedCheckpoint
        unsavedEvents = 0
    }

    /// Deletes the saved state (to rebuild it from the log).
    func resetStore() throws(MarketplaceError) {
        try store.reset()
        try discardUnsaved()
    }

    private func clearCaches() {
        users.clear(); emails.clear(); invitations.clear(); jobs.clear(); interviews.clear()
        openInterviews.clear(); threads.clear(); teams.clear(); assignments.clear(); commands.clear()
    }
}
