// The catalogue's event types: each declares its stored properties (in sorted key order, as the payloads
// are written), its blank `init()` and its declaration; the memberwise initialiser and the field list
// follow from the properties (EventPayloads+Generated.swift, written by Tools/generate-catalogue).

/// Someone invited an email address to join the network as a provider; `token` is the signup token of the
/// invitation email's URL. `teamId` (v2) names the team the new provider joins on signup.
public struct ProviderInvited: EventPayload {
    public var email: String = ""
    public var invitationId: String = ""
    public var invitedBy: String = ""
    public var teamId: String?
    public var token: String = ""

    public init() {}

    public static let declaration = EventDeclaration<ProviderInvited>(
        "ProviderInvited", version: 2, case: MarketplaceEvent.providerInvited, stream: (.invitation, \.invitationId),
        upcasting: [OlderVersion(1, ProviderInvitedV1.fields) { $0.upcast() }])
}

/// The invited person signed up with the invitation's token, creating account `userId`.
public struct InviteAccepted: EventPayload {
    public var invitationId: String = ""
    public var userId: String = ""

    public init() {}

    public static let declaration = EventDeclaration<InviteAccepted>(
        "InviteAccepted", version: 1, case: MarketplaceEvent.inviteAccepted, stream: (.invitation, \.invitationId))
}

/// The inviter revoked a pending invitation; its token no longer works.
public struct InvitationRevoked: EventPayload {
    public var invitationId: String = ""
    public var revokedBy: String = ""

    public init() {}

    public static let declaration = EventDeclaration<InvitationRevoked>(
        "InvitationRevoked", version: 1, case: MarketplaceEvent.invitationRevoked, stream: (.invitation, \.invitationId))
}

/// A pending invitation expired (decided by the system's expiry sweep); its token no longer works.
public struct InvitationExpired: EventPayload {
    public var invitationId: String = ""

    public init() {}

    public static let declaration = EventDeclaration<InvitationExpired>(
        "InvitationExpired", version: 1, case: MarketplaceEvent.invitationExpired, stream: (.invitation, \.invitationId))
}

/// A provider who signed up through an affiliate manager's invitation joined that manager's roster.
public struct AffiliateRosterJoined: EventPayload {
    public var affiliateManagerId: String = ""
    public var invitationId: String = ""
    public var providerId: String = ""

    public init() {}

    public static let declaration = EventDeclaration<AffiliateRosterJoined>(
        "AffiliateRosterJoined", version: 1, case: MarketplaceEvent.affiliateRosterJoined, stream: (.roster, \.affiliateManagerId))
}
