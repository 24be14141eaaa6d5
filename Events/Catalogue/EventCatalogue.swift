import Foundation

/// The registry of event types: decodes stored `(type, schemaVersion, payload)` into typed events,
/// upcasting old versions. `decode` uses the fast reader and falls back to `JSONDecoder` for payloads it
/// does not handle; `decodeWithFoundation` is the reference implementation, used by the tests.
public enum EventCatalogue {
    /// One persisted event type.
    public struct Entry: Sendable, Hashable {
        public var type: String
        /// The version written today.
        public var currentVersion: UInt16
        /// Every version that can still be read (older ones through upcasters).
        public var readableVersions: [UInt16]
    }

    /// Every event type, in catalogue order.
    public static let entries: [Entry] = [
        Entry(type: AccountRegistered.eventType, currentVersion: AccountRegistered.schemaVersion, readableVersions: [1]),
        Entry(type: EmailAddressClaimed.eventType, currentVersion: EmailAddressClaimed.schemaVersion, readableVersions: [1]),
        Entry(type: MarketplaceEmailEnabled.eventType, currentVersion: MarketplaceEmailEnabled.schemaVersion, readableVersions: [1]),
        Entry(type: ProviderInvited.eventType, currentVersion: ProviderInvited.schemaVersion, readableVersions: [1, 2]),
        Entry(type: InviteAccepted.eventType, currentVersion: InviteAccepted.schemaVersion, readableVersions: [1]),
        Entry(type: InvitationRevoked.eventType, currentVersion: InvitationRevoked.schemaVersion, readableVersions: [1]),
        Entry(type: InvitationExpired.eventType, currentVersion: InvitationExpired.schemaVersion, readableVersions: [1]),
        Entry(type: AffiliateRosterJoined.eventType, currentVersion: AffiliateRosterJoined.schemaVersion, readableVersions: [1]),
        Entry(type: JobPosted.eventType, currentVersion: JobPosted.schemaVersion, readableVersions: [1]),
        Entry(type: InterviewRequested.eventType, currentVersion: InterviewRequested.schemaVersion, readableVersions: [1]),
        Entry(type: InterviewAccepted.eventType, currentVersion: InterviewAccepted.schemaVersion, readableVersions: [1]),
        Entry(type: InterviewDeclined.eventType, currentVersion: InterviewDeclined.schemaVersion, readableVersions: [1]),
        Entry(type: ThreadStarted.eventType, currentVersion: ThreadStarted.schemaVersion, readableVersions: [1]),
        Entry(type: MessageSent.eventType, currentVersion: MessageSent.schemaVersion, readableVersions: [1]),
        Entry(type: ContactDetailsShared.eventType, currentVersion: ContactDetailsShared.schemaVersion, readableVersions: [1]),
        Entry(type: TeamCreated.eventType, currentVersion: TeamCreated.schemaVersion, readableVersions: [1]),
        Entry(type: TeamInvitationSent.eventType, currentVersion: TeamInvitationSent.schemaVersion, readableVersions: [1]),
        Entry(type: TeamMemberAdded.eventType, currentVersion: TeamMemberAdded.schemaVersion, readableVersions: [1]),
        Entry(type: TeamMemberLeft.eventType, currentVersion: TeamMemberLeft.schemaVersion, readableVersions: [1]),
        Entry(type: TeamMemberRemoved.eventType, currentVersion: TeamMemberRemoved.schemaVersion, readableVersions: [1]),
        Entry(type: ProviderHired.eventType, currentVersion: ProviderHired.schemaVersion, readableVersions: [1]),
        Entry(type: AssignmentEnded.eventType, currentVersion: AssignmentEnded.schemaVersion, readableVersions: [1]),
        Entry(type: PaymentRecorded.eventType, currentVersion: PaymentRecorded.schemaVersion, readableVersions: [1]),
    ]

    /// Decodes a stored event with the fast reader (falling back to `JSONDecoder` if the payload uses JSON the
    /// fast reader does not handle), running upcasters for old versions.
    public static func decode(type: String, schemaVersion: UInt16, payload: [UInt8]) throws(EventDecodingError) -> MarketplaceEvent {
        try payload.withUnsafeBytes { bytes in
            Result { () throws(EventDecodingError) in try decode(type: type, schemaVersion: schemaVersion, payloadBytes: bytes) }
        }.get()
    }

    /// `decode` of payload bytes borrowed from elsewhere (a read buffer), valid while it runs.
    public static func decode(type: String, schemaVersion: UInt16, payloadBytes: UnsafeRawBufferPointer) throws(EventDecodingError) -> MarketplaceEvent {
        do throws(FlatJSONError) {
            return try fastDecode(type: type, schemaVersion: schemaVersion, payload: payloadBytes.bindMemory(to: UInt8.self))
        } catch {
            return try decodeWithFoundation(type: type, schemaVersion: schemaVersion, payload: Array(payloadBytes))
        }
    }

    static func fastDecode(type: String, schemaVersion: UInt16, payload: [UInt8]) throws(FlatJSONError) -> MarketplaceEvent {
        let result: Result<MarketplaceEvent, FlatJSONError> = payload.withUnsafeBufferPointer { bytes in
            do throws(FlatJSONError) {
                return .success(try fastDecode(type: type, schemaVersion: schemaVersion, payload: bytes))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    static func fastDecode(type: String, schemaVersion: UInt16, payload: UnsafeBufferPointer<UInt8>) throws(FlatJSONError) -> MarketplaceEvent {
        switch type {
        case MessageSent.eventType:
            guard schemaVersion == MessageSent.schemaVersion else { throw FlatJSONError("unknown type or version") }
            return .messageSent(try MessageSent.fastDecode(payload))
        case AccountRegistered.eventType:
            guard schemaVersion == AccountRegistered.schemaVersion else { throw FlatJSONError("unknown type or version") }
            return .accountRegistered(try AccountRegistered.fastDecode(payload))
        case EmailAddressClaimed.eventType:
            guard schemaVersion == EmailAddressClaimed.schemaVersion else { throw FlatJSONError("unknown type or version") }
            return .emailAddressClaimed(try EmailAddressClaimed.fastDecode(payload))
        case MarketplaceEmailEnabled.eventType:
            guard schemaVersion == MarketplaceEmailEnabled.schemaVersion else { throw FlatJSONError("unknown type or version") }
            return .marketplaceEmailEnabled(try MarketplaceEmailEnabled.fastDecode(payload))
        case ProviderInvited.eventType:
            if schemaVersion == ProviderInvitedV1.schemaVersion {
                return .providerInvited(try FlatJSONReader.read(payload) { reader throws(FlatJSONError) in try ProviderInvitedV1(reading: &reader) }.upcast())
            }
            guard schemaVersion == ProviderInvited.schemaVersion else { throw FlatJSONError("unknown type or version") }
            return .providerInvited(try ProviderInvited.fastDecode(payload))
        case InviteAccepted.eventType:
            guard schemaVersion == InviteAccepted.schemaVersion else { throw FlatJSONError("unknown type or version") }
            return .inviteAccepted(try InviteAccepted.fastDecode(payload))
        case InvitationRevoked.eventType:
            guard schemaVersion == InvitationRevoked.schemaVersion else { throw FlatJSONError("unknown type or version") }
            return .invitationRevoked(try InvitationRevoked.fastDecode(payload))
        case InvitationExpired.eventType:
            guard schemaVersion == InvitationExpired.schemaVersion else { throw FlatJSONError("unknown type or version") }
            return .invitationExpired(try InvitationExpired.fastDecode(payload))
        case AffiliateRosterJoined.eventType:
            guard schemaVersion == AffiliateRosterJoined.schemaVersion else { throw FlatJSONError("unknown type or version") }
            return .affiliateRosterJoined(try AffiliateRosterJoined.fastDecode(payload))
        case JobPosted.eventType:
            guard schemaVersion == JobPosted.schemaVersion else { throw FlatJSONError("unknown type or version") }
            return .jobPosted(try JobPosted.fastDecode(payload))
        case InterviewRequested.eventType:
            guard schemaVersion == InterviewRequested.schemaVersion else { throw FlatJSONError("unknown type or version") }
            return .interviewRequested(try InterviewRequested.fastDecode(payload))
        case InterviewAccepted.eventType:
            guard schemaVersion == InterviewAccepted.schemaVersion else { throw FlatJSONError("unknown type or version") }
            return .interviewAccepted(try InterviewAccepted.fastDecode(payload))
        case InterviewDeclined.eventType:
            guard schemaVersion == InterviewDeclined.schemaVersion else { throw FlatJSONError("unknown type or version") }
            return .interviewDeclined(try InterviewDeclined.fastDecode(payload))
        case ThreadStarted.eventType:
            guard schemaVersion == ThreadStarted.schemaVersion else { throw FlatJSONError("unknown type or version") }
            return .threadStarted(try ThreadStarted.fastDecode(payload))
        case ContactDetailsShared.eventType:
            guard schemaVersion == ContactDetailsShared.schemaVersion else { throw FlatJSONError("unknown type or version") }
            return .contactDetailsShared(try ContactDetailsShared.fastDecode(payload))
        case TeamCreated.eventType:
            guard schemaVersion == TeamCreated.schemaVersion else { throw FlatJSONError("unknown type or version") }
            return .teamCreated(try TeamCreated.fastDecode(payload))
        case TeamInvitationSent.eventType:
            guard schemaVersion == TeamInvitationSent.schemaVersion else { throw FlatJSONError("unknown type or version") }
            return .teamInvitationSent(try TeamInvitationSent.fastDecode(payload))
        case TeamMemberAdded.eventType:
            guard schemaVersion == TeamMemberAdded.schemaVersion else { throw FlatJSONError("unknown type or version") }
            return .teamMemberAdded(try TeamMemberAdded.fastDecode(payload))
        case TeamMemberLeft.eventType:
            guard schemaVersion == TeamMemberLeft.schemaVersion else { throw FlatJSONError("unknown type or version") }
            return .teamMemberLeft(try TeamMemberLeft.fastDecode(payload))
        case TeamMemberRemoved.eventType:
            guard schemaVersion == TeamMemberRemoved.schemaVersion else { throw FlatJSONError("unknown type or version") }
            return .teamMemberRemoved(try TeamMemberRemoved.fastDecode(payload))
        case ProviderHired.eventType:
            guard schemaVersion == ProviderHired.schemaVersion else { throw FlatJSONError("unknown type or version") }
            return .providerHired(try ProviderHired.fastDecode(payload))
        case AssignmentEnded.eventType:
            guard schemaVersion == AssignmentEnded.schemaVersion else { throw FlatJSONError("unknown type or version") }
            return .assignmentEnded(try AssignmentEnded.fastDecode(payload))
        case PaymentRecorded.eventType:
            guard schemaVersion == PaymentRecorded.schemaVersion else { throw FlatJSONError("unknown type or version") }
            return .paymentRecorded(try PaymentRecorded.fastDecode(payload))
        default:
            throw FlatJSONError("unknown type or version")
        }
    }

    /// Decodes a stored event with `JSONDecoder` (the reference for the fast reader), running upcasters.
    public static func decodeWithFoundation(type: String, schemaVersion: UInt16, payload: [UInt8]) throws(EventDecodingError) -> MarketplaceEvent {
        let decoder = Decoding(type: type, schemaVersion: schemaVersion, payload: payload)
        switch type {
        case MessageSent.eventType:
            guard schemaVersion == MessageSent.schemaVersion else { throw decoder.unsupportedVersion(MessageSent.schemaVersion) }
            return .messageSent(try decoder.decode(MessageSent.self))
        case AccountRegistered.eventType:
            guard schemaVersion == AccountRegistered.schemaVersion else { throw decoder.unsupportedVersion(AccountRegistered.schemaVersion) }
            return .accountRegistered(try decoder.decode(AccountRegistered.self))
        case EmailAddressClaimed.eventType:
            guard schemaVersion == EmailAddressClaimed.schemaVersion else { throw decoder.unsupportedVersion(EmailAddressClaimed.schemaVersion) }
            return .emailAddressClaimed(try decoder.decode(EmailAddressClaimed.self))
        case MarketplaceEmailEnabled.eventType:
            guard schemaVersion == MarketplaceEmailEnabled.schemaVersion else { throw decoder.unsupportedVersion(MarketplaceEmailEnabled.schemaVersion) }
            return .marketplaceEmailEnabled(try decoder.decode(MarketplaceEmailEnabled.self))
        case ProviderInvited.eventType:
            if schemaVersion == ProviderInvitedV1.schemaVersion { return .providerInvited(try decoder.decode(ProviderInvitedV1.self).upcast()) }
            guard schemaVersion == ProviderInvited.schemaVersion else { throw decoder.unsupportedVersion(ProviderInvited.schemaVersion) }
            return .providerInvited(try decoder.decode(ProviderInvited.self))
        case InviteAccepted.eventType:
            guard schemaVersion == InviteAccepted.schemaVersion else { throw decoder.unsupportedVersion(InviteAccepted.schemaVersion) }
            return .inviteAccepted(try decoder.decode(InviteAccepted.self))
        case InvitationRevoked.eventType:
            guard schemaVersion == InvitationRevoked.schemaVersion else { throw decoder.unsupportedVersion(InvitationRevoked.schemaVersion) }
            return .invitationRevoked(try decoder.decode(InvitationRevoked.self))
        case InvitationExpired.eventType:
            guard schemaVersion == InvitationExpired.schemaVersion else { throw decoder.unsupportedVersion(InvitationExpired.schemaVersion) }
            return .invitationExpired(try decoder.decode(InvitationExpired.self))
        case AffiliateRosterJoined.eventType:
            guard schemaVersion == AffiliateRosterJoined.schemaVersion else { throw decoder.unsupportedVersion(AffiliateRosterJoined.schemaVersion) }
            return .affiliateRosterJoined(try decoder.decode(AffiliateRosterJoined.self))
        case JobPosted.eventType:
            guard schemaVersion == JobPosted.schemaVersion else { throw decoder.unsupportedVersion(JobPosted.schemaVersion) }
            return .jobPosted(try decoder.decode(JobPosted.self))
        case InterviewRequested.eventType:
            guard schemaVersion == InterviewRequested.schemaVersion else { throw decoder.unsupportedVersion(InterviewRequested.schemaVersion) }
            return .interviewRequested(try decoder.decode(InterviewRequested.self))
        case InterviewAccepted.eventType:
            guard schemaVersion == InterviewAccepted.schemaVersion else { throw decoder.unsupportedVersion(InterviewAccepted.schemaVersion) }
            return .interviewAccepted(try decoder.decode(InterviewAccepted.self))
        case InterviewDeclined.eventType:
            guard schemaVersion == InterviewDeclined.schemaVersion else { throw decoder.unsupportedVersion(InterviewDeclined.schemaVersion) }
            return .interviewDeclined(try decoder.decode(InterviewDeclined.self))
        case ThreadStarted.eventType:
            guard schemaVersion == ThreadStarted.schemaVersion else { throw decoder.unsupportedVersion(ThreadStarted.schemaVersion) }
            return .threadStarted(try decoder.decode(ThreadStarted.self))
        case ContactDetailsShared.eventType:
            guard schemaVersion == ContactDetailsShared.schemaVersion else { throw decoder.unsupportedVersion(ContactDetailsShared.schemaVersion) }
            return .contactDetailsShared(try decoder.decode(ContactDetailsShared.self))
        case TeamCreated.eventType:
            guard schemaVersion == TeamCreated.schemaVersion else { throw decoder.unsupportedVersion(TeamCreated.schemaVersion) }
            return .teamCreated(try decoder.decode(TeamCreated.self))
        case TeamInvitationSent.eventType:
            guard schemaVersion == TeamInvitationSent.schemaVersion else { throw decoder.unsupportedVersion(TeamInvitationSent.schemaVersion) }
            return .teamInvitationSent(try decoder.decode(TeamInvitationSent.self))
        case TeamMemberAdded.eventType:
            guard schemaVersion == TeamMemberAdded.schemaVersion else { throw decoder.unsupportedVersion(TeamMemberAdded.schemaVersion) }
            return .teamMemberAdded(try decoder.decode(TeamMemberAdded.self))
        case TeamMemberLeft.eventType:
            guard schemaVersion == TeamMemberLeft.schemaVersion else { throw decoder.unsupportedVersion(TeamMemberLeft.schemaVersion) }
            return .teamMemberLeft(try decoder.decode(TeamMemberLeft.self))
        case TeamMemberRemoved.eventType:
            guard schemaVersion == TeamMemberRemoved.schemaVersion else { throw decoder.unsupportedVersion(TeamMemberRemoved.schemaVersion) }
            return .teamMemberRemoved(try decoder.decode(TeamMemberRemoved.self))
        case ProviderHired.eventType:
            guard schemaVersion == ProviderHired.schemaVersion else { throw decoder.unsupportedVersion(ProviderHired.schemaVersion) }
            return .providerHired(try decoder.decode(ProviderHired.self))
        case AssignmentEnded.eventType:
            guard schemaVersion == AssignmentEnded.schemaVersion else { throw decoder.unsupportedVersion(AssignmentEnded.schemaVersion) }
            return .assignmentEnded(try decoder.decode(AssignmentEnded.self))
        case PaymentRecorded.eventType:
            guard schemaVersion == PaymentRecorded.schemaVersion else { throw decoder.unsupportedVersion(PaymentRecorded.schemaVersion) }
            return .paymentRecorded(try decoder.decode(PaymentRecorded.self))
        default:
            throw .unknownType(type: type, schemaVersion: schemaVersion)
        }
    }
}
