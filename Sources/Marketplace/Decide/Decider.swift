import EventLog
import Events

/// Decides one command against the current state: the events it yields, or a rejection that says what
/// to do instead. Reads state only; changes nothing. The command's generated ids must be filled
/// (`Command.fillingIds`).
struct Decider {
    let state: DecisionState
    let actor: String

    func decide(_ command: Command) throws(MarketplaceError) -> Decision {
        switch command {
        case .registerAccount(let c): return try registerAccount(c)
        case .inviteProviders(let c): return try inviteProviders(c)
        case .acceptInvitation(let c): return try acceptInvitation(c)
        case .revokeInvitation(let c): return try revokeInvitation(c)
        case .expireInvitation(let c): return try expireInvitation(c)
        case .postJob(let c): return try postJob(c)
        case .requestInterview(let c): return try requestInterview(c)
        case .acceptInterview(let c): return try answerInterview(c.interviewId, accept: true, reason: nil)
        case .declineInterview(let c): return try answerInterview(c.interviewId, accept: false, reason: c.reason)
        case .sendMessage(let c): return try sendMessage(c)
        case .replyToThread(let c): return try replyToThread(c)
        case .shareContactDetails(let c): return try shareContactDetails(c)
        case .createTeam(let c): return try createTeam(c)
        case .inviteToTeam(let c): return try inviteToTeam(c)
        case .acceptTeamInvitation(let c): return try acceptTeamInvitation(c)
        case .leaveTeam(let c): return try leaveTeam(c)
        case .removeTeamMember(let c): return try removeTeamMember(c)
        case .enableMarketplaceEmail: return try enableMarketplaceEmail()
        case .hire(let c): return try hire(c)
        case .endAssignment(let c): return try endAssignment(c)
        case .recordPayment(let c): return try recordPayment(c)
        case .recordInvitationEmailSent(let c): return try recordInvitationEmailSent(c)
        case .recordInvitationEmailFailed(let c): return try recordInvitationEmailFailed(c)
        }
    }

    // MARK: Helpers shared by the rules

    /// The actor's account; a command from someone who is not a user is rejected.
    func actorAccount() throws(MarketplaceError) -> UserRecord {
        try valid { () throws(CommandRejection) in try Validation.id(actor, "actor") }
        guard let user = try state.user(actor) else {
            throw reject(.unknownActor, "the actor '\(actor)' is not a registered user: register an account first, "
                + "or pass your own user id as the actor")
        }
        return user
    }

    func existingUser(_ id: String, _ field: String) throws(MarketplaceError) -> UserRecord {
        try valid { () throws(CommandRejection) in try Validation.id(id, field) }
        guard let user = try state.user(id) else {
            throw reject(.unknownUser, "no user has the id '\(id)' (\(field)): check the id on the person's profile")
        }
        return user
    }

    /// Checks that the user exists and is a provider: `need` says why one is needed.
    func requireProvider(_ id: String, _ need: String) throws(MarketplaceError) {
        let provider = try existingUser(id, "provider id")
        guard provider.role == .provider else {
            throw reject(.invalidInput, "user '\(id)' is not a provider: \(need)")
        }
    }

    /// A generated or given id, checked.
    func id(_ value: String?, _ field: String) throws(MarketplaceError) -> String {
        guard let value else { throw reject(.invalidInput, "the \(field) is missing") }
        try valid { () throws(CommandRejection) in try Validation.id(value, field) }
        return value
    }

    /// The id of something the command creates (given or generated), checked and not taken yet: an id
    /// that is taken is a rejection, since the append could only ever conflict.
    func newId(_ value: String?, _ field: String, isTaken: (String) throws(MarketplaceError) -> Bool) throws(MarketplaceError) -> String {
        let newId = try id(value, field)
        guard try !isTaken(newId) else {
            throw reject(.alreadyExists, "the \(field) '\(newId)' is taken: choose another, or leave it out to get a generated one")
        }
        return newId
    }

    /// The id of a thread a command starts (given or generated), checked and not taken yet. A taken one
    /// is refused in words that do not say whether that thread exists (it may be other users' private
    /// conversation): `invalidInput`, not `alreadyExists`.
    func newThreadId(_ value: String?) throws(MarketplaceError) -> String {
        let threadId = try id(value, "thread id")
        guard try state.thread(threadId) == nil else {
            throw reject(.invalidInput, "the thread id '\(threadId)' cannot be used for a new thread: leave --thread-id out to get a generated one, or choose another")
        }
        return threadId
    }

    /// Whether a network or team invitation was ever sent with this id.
    func invitationIdTaken(_ id: String) throws(MarketplaceError) -> Bool {
        if try state.invitation(id) != nil { return true }
        return try state.teamOfInvitation(id) != nil
    }

    func valid<T>(_ body: () throws(CommandRejection) -> T) throws(MarketplaceError) -> T {
        do throws(CommandRejection) { return try body() } catch { throw .rejected(error) }
    }

    func reject(_ code: CommandRejection.Code, _ message: String) -> MarketplaceError {
        .rejected(CommandRejection(code, message))
    }
}
