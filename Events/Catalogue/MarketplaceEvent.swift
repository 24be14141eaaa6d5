/// Every event of the catalogue, one case per type. Decode stored events with `EventCatalogue.decode`.
public enum MarketplaceEvent: Sendable, Hashable {
    case accountRegistered(AccountRegistered)
    case emailAddressClaimed(EmailAddressClaimed)
    case marketplaceEmailEnabled(MarketplaceEmailEnabled)
    case providerInvited(ProviderInvited)
    case inviteAccepted(InviteAccepted)
    case invitationRevoked(InvitationRevoked)
    case invitationExpired(InvitationExpired)
    case affiliateRosterJoined(AffiliateRosterJoined)
    case jobPosted(JobPosted)
    case interviewRequested(InterviewRequested)
    case interviewAccepted(InterviewAccepted)
    case interviewDeclined(InterviewDeclined)
    case threadStarted(ThreadStarted)
    case messageSent(MessageSent)
    case contactDetailsShared(ContactDetailsShared)
    case teamCreated(TeamCreated)
    case teamInvitationSent(TeamInvitationSent)
    case teamMemberAdded(TeamMemberAdded)
    case teamMemberLeft(TeamMemberLeft)
    case teamMemberRemoved(TeamMemberRemoved)
    case providerHired(ProviderHired)
    case assignmentEnded(AssignmentEnded)
    case paymentRecorded(PaymentRecorded)

    /// The event's payload as its own type.
    public var payload: any EventPayload {
        switch self {
        case .accountRegistered(let event): return event
        case .emailAddressClaimed(let event): return event
        case .marketplaceEmailEnabled(let event): return event
        case .providerInvited(let event): return event
        case .inviteAccepted(let event): return event
        case .invitationRevoked(let event): return event
        case .invitationExpired(let event): return event
        case .affiliateRosterJoined(let event): return event
        case .jobPosted(let event): return event
        case .interviewRequested(let event): return event
        case .interviewAccepted(let event): return event
        case .interviewDeclined(let event): return event
        case .threadStarted(let event): return event
        case .messageSent(let event): return event
        case .contactDetailsShared(let event): return event
        case .teamCreated(let event): return event
        case .teamInvitationSent(let event): return event
        case .teamMemberAdded(let event): return event
        case .teamMemberLeft(let event): return event
        case .teamMemberRemoved(let event): return event
        case .providerHired(let event): return event
        case .assignmentEnded(let event): return event
        case .paymentRecorded(let event): return event
        }
    }

    /// The persisted type name.
    public var eventType: String { type(of: payload).eventType }
    /// The schema version this process writes.
    public var schemaVersion: UInt16 { type(of: payload).schemaVersion }
    /// The stream the event belongs to.
    public var stream: String { payload.stream }
    /// The deterministic JSON payload.
    public func encodedPayload() -> [UInt8] { payload.encodedPayload() }
}
