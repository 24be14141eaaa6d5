import Events

/// What commands decide on, derived from the log: in-memory dictionaries over a `DecisionStateStore`,
/// read through on a miss and written behind (rows and checkpoint in one transaction, on a background
/// queue). Invariant: the state equals the store's rows at its checkpoint plus the events applied
/// since, up to `position`.
///
/// While `isComplete`, the dictionaries hold every row the store has (the store was empty when this
/// state started from it, and nothing was evicted since), so a miss means "absent" without asking the
/// store: ids and addresses created in this session are never looked up in SQLite.
final class DecisionState {
    let store: any DecisionStateStore
    private let writer: StateWriter
    /// Whether the caches hold every saved row (a miss is then a definite "absent").
    private(set) var isComplete: Bool
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
    private var claimedIds = RecordCache<ClaimedId>()

    init(store: any DecisionStateStore, writeBehind: Bool = true) throws(MarketplaceError) {
        self.store = store
        writer = StateWriter(store: store, synchronous: !writeBehind)
        savedCheckpoint = try store.checkpoint()
        position = savedCheckpoint
        // Checkpoint 0: nothing saved (rows are only ever saved with a later checkpoint), so the empty
        // caches are the whole saved state.
        isComplete = savedCheckpoint == 0
    }

    deinit {
        try? writer.wait()
    }

    var cachedRecords: Int {
        users.count + emails.count + invitations.count + jobs.count + interviews.count + openInterviews.count
            + threads.count + teams.count + assignments.count + commands.count + claimedIds.count
    }

    // MARK: Reads

    func user(_ id: String) throws(MarketplaceError) -> UserRecord? { try users.get(id, from: store, complete: isComplete) }
    func owner(ofEmail normalized: String) throws(MarketplaceError) -> String? { try emails.get(normalized, from: store, complete: isComplete)?.value }
    func invitation(_ id: String) throws(MarketplaceError) -> InvitationRecord? { try invitations.get(id, from: store, complete: isComplete) }
    func job(_ id: String) throws(MarketplaceError) -> JobRecord? { try jobs.get(id, from: store, complete: isComplete) }
    func interview(_ id: String) throws(MarketplaceError) -> InterviewRecord? { try interviews.get(id, from: store, complete: isComplete) }
    func openInterview(job: String, provider: String) throws(MarketplaceError) -> String? {
        try openInterviews.get(job + "|" + provider, from: store, complete: isComplete)?.value
    }
    func thread(_ id: String) throws(MarketplaceError) -> ThreadRecord? { try threads.get(id, from: store, complete: isComplete) }
    func team(_ id: String) throws(MarketplaceError) -> TeamRecord? { try teams.get(id, from: store, complete: isComplete) }
    /// The team of a team invitation ever sent (pending, accepted or superseded).
    func teamOfInvitation(_ id: String) throws(MarketplaceError) -> String? {
        try claimedIds.get(ClaimedId.teamInvitation(id), from: store, complete: isComplete)?.value
    }
    func assignment(_ id: String) throws(MarketplaceError) -> AssignmentRecord? { try assignments.get(id, from: store, complete: isComplete) }
    /// The thread of a message ever sent with this id.
    func threadOfMessage(_ id: String) throws(MarketplaceError) -> String? {
        try claimedIds.get(ClaimedId.message(id), from: store, complete: isComplete)?.value
    }
    /// The assignment of a payment ever recorded with this id.
    func assignmentOfPayment(_ id: String) throws(MarketplaceError) -> String? {
        try claimedIds.get(ClaimedId.payment(id), from: store, complete: isComplete)?.value
    }
    func commandPositions(_ commandId: String) throws(MarketplaceError) -> ClosedRange<UInt64>? {
        try commands.get(commandId, from: store, complete: isComplete)?.positions
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
        case .messageSent(let e):
            claimedIds.set(ClaimedId.message(e.messageId), ClaimedId(value: e.threadId))
        case .contactDetailsShared:
            break
        case .teamCreated(let e):
            teams.set(e.teamId, TeamRecord(teamId: e.teamId, createdBy: e.createdBy, version: 1))
        case .teamInvitationSent(let e):
            try update(&teams, e.teamId) {
                $0.invitations[e.invitationId] = .init(userId: e.userId, role: e.role)
                $0.version += 1
            }
            claimedIds.set(ClaimedId.teamInvitation(e.invitationId), ClaimedId(value: e.teamId))
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
            claimedIds.set(ClaimedId.payment(e.paymentId), ClaimedId(value: e.assignmentId))
        case .invitationEmailSent, .invitationEmailFailed:
            // The delivery's records: no decision reads them.
            break
        }
    }

    private func update<R: StateRecord>(_ cache: inout RecordCache<R>, _ id: String, _ change: (inout R) -> Void) throws(MarketplaceError) {
        guard var record = try cache.get(id, from: store, complete: isComplete) else { throw Self.missing(R.keyPrefix, id) }
        change(&record)
        cache.set(id, record)
    }

    private static func missing(_ kind: String, _ id: String) -> MarketplaceError {
        .state("an event refers to \(kind) '\(id)', which the decision state does not have")
    }

    // MARK: Saving

    /// Hands the changed rows and the position to the writer (written in one transaction, in the
    /// background unless `wait`); when the cache holds more than `maxCachedRecords` records afterwards,
    /// waits for the write and empties it (it is then read back on demand).
    func save(maxCachedRecords: Int, wait: Bool = false) throws(MarketplaceError) {
        let users = self.users.drain(), emails = self.emails.drain(), invitations = self.invitations.drain(), jobs = self.jobs.drain()
        let interviews = self.interviews.drain(), openInterviews = self.openInterviews.drain(), threads = self.threads.drain()
        let teams = self.teams.drain(), assignments = self.assignments.drain(), commands = self.commands.drain()
        let claimedIds = self.claimedIds.drain()
        let count = users.count + emails.count + invitations.count + jobs.count + interviews.count + openInterviews.count
            + threads.count + teams.count + assignments.count + commands.count + claimedIds.count
        if count > 0 || position != savedCheckpoint {
            let encode: @Sendable () -> [(key: String, value: [UInt8]?)] = {
                var rows: [(key: String, value: [UInt8]?)] = []
                rows.reserveCapacity(count)
                users.encode(into: &rows); emails.encode(into: &rows); invitations.encode(into: &rows); jobs.encode(into: &rows)
                interviews.encode(into: &rows); openInterviews.encode(into: &rows); threads.encode(into: &rows)
                teams.encode(into: &rows); assignments.encode(into: &rows); commands.encode(into: &rows); claimedIds.encode(into: &rows)
                return rows
            }
            do throws(MarketplaceError) {
                try writer.submit(encode, checkpoint: position)
            } catch {
                try recoverFromFailedWrite()
                throw error
            }
        }
        savedCheckpoint = position
        unsavedEvents = 0
        if cachedRecords > maxCachedRecords {
            try settle()
            clearCaches()
        } else if wait {
            try settle()
        }
    }

    /// Waits for the write in flight. If a write failed, the store is behind what this state believes
    /// was saved: the state drops its caches and goes back to the store's checkpoint (it catches up
    /// from the log), and the error is thrown.
    func settle() throws(MarketplaceError) {
        do throws(MarketplaceError) { try writer.wait() } catch {
            try recoverFromFailedWrite()
            throw error
        }
    }

    /// Throws a failed background write's error (after recovering as `settle` does), without waiting.
    func checkWrites() throws(MarketplaceError) {
        do throws(MarketplaceError) { try writer.takeFailure() } catch {
            try recoverFromFailedWrite()
            throw error
        }
    }

    private func recoverFromFailedWrite() throws(MarketplaceError) {
        try? writer.wait()
        clearCaches()
        savedCheckpoint = try store.checkpoint()
        position = savedCheckpoint
        unsavedEvents = 0
    }

    /// Drops everything not saved: the state goes back to the saved checkpoint (the caches undo their
    /// changes since the last save, so they stay as complete as they were).
    func discardUnsaved() throws(MarketplaceError) {
        try settle()
        guard isComplete else {
            // Read-through mode: start again from whatever the store holds now (another process sharing
            // the store may have saved a later checkpoint).
            clearCaches()
            savedCheckpoint = try store.checkpoint()
            position = savedCheckpoint
            unsavedEvents = 0
            return
        }
        users.rollback(); emails.rollback(); invitations.rollback(); jobs.rollback(); interviews.rollback()
        openInterviews.rollback(); threads.rollback(); teams.rollback(); assignments.rollback()
        commands.rollback(); claimedIds.rollback()
        position = savedCheckpoint
        unsavedEvents = 0
    }

    /// Deletes the saved state (to rebuild it from the log).
    func resetStore() throws(MarketplaceError) {
        try settle()
        try store.reset()
        clearCaches()
        savedCheckpoint = 0
        position = 0
        unsavedEvents = 0
        isComplete = true
    }

    /// Empties the caches; they are then read through from the store, never trusted as complete.
    private func clearCaches() {
        users.clear(); emails.clear(); invitations.clear(); jobs.clear(); interviews.clear()
        openInterviews.clear(); threads.clear(); teams.clear(); assignments.clear(); commands.clear()
        claimedIds.clear()
        isComplete = false
    }
}
