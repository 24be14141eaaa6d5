// The catalogue's event types. Field lists are in sorted key order, as the payloads are written.

/// Someone invited an email address to join the network as a provider; `token` is the signup token of the
/// invitation email's URL. `teamId` (v2) names the team the new provider joins on signup.
public struct ProviderInvited: EventPayload {
    public var email: String = ""
    public var invitationId: String = ""
    public var invitedBy: String = ""
    public var teamId: String?
    public var token: String = ""

    public init(email: String, invitationId: String, invitedBy: String, teamId: String? = nil, token: String) {
        self.email = email
        self.invitationId = invitationId
        self.invitedBy = invitedBy
        self.teamId = teamId
        self.token = token
    }

    public init() {}

    public static let declaration = EventDeclaration<ProviderInvited>(
        "ProviderInvited", version: 2, case: MarketplaceEvent.providerInvited, stream: (.invitation, \.invitationId),
        fields: [PayloadField("email", \.email), PayloadField("invitationId", \.invitationId),
                 PayloadField("invitedBy", \.invitedBy), PayloadField("teamId", \.teamId),
                 PayloadField("token", \.token)],
        upcasting: [OlderVersion(1, ProviderInvitedV1.fields) { $0.upcast() }])
}

/// The invited person signed up with the invitation's token, creating account `userId`.
public struct InviteAccepted: EventPayload {
    public var invitationId: String = ""
    public var userId: String = ""

    public init(invitationId: String, userId: String) {
        self.invitationId = invitationId
        self.userId = userId
    }

    public init() {}

    public static let declaration = EventDeclaration<InviteAccepted>(
        "InviteAccepted", version: 1, case: MarketplaceEvent.inviteAccepted, stream: (.invitation, \.invitationId),
        fields: [PayloadField("invitationId", \.invitationId), PayloadField("userId", \.userId)])
}

/// The inviter revoked a pending invitation; its token no longer works.
public struct InvitationRevoked: EventPayload {
    public var invitationId: String = ""
    public var revokedBy: String = ""

    public init(invitationId: String, revokedBy: String) {
        self.invitationId = invitationId
        self.revokedBy = revokedBy
    }

    public init() {}

    public static let declaration = EventDeclaration<InvitationRevoked>(
        "InvitationRevoked", version: 1, case: MarketplaceEvent.invitationRevoked, stream: (.invitation, \.invitationId),
        fields: [PayloadField("invitationId", \.invitationId), PayloadField("revokedBy", \.revokedBy)])
}

/// A pending invitation expired (decided by the system's expiry sweep); its token no longer works.
public struct InvitationExpired: EventPayload {
    public var invitationId: String = ""

    public init(invitationId: String) {
        self.invitationId = invitationId
    }

    public init() {}

    public static let declaration = EventDeclaration<InvitationExpired>(
        "InvitationExpired", version: 1, case: MarketplaceEvent.invitationExpired, stream: (.invitation, \.invitationId),
        fields: [PayloadField("invitationId", \.invitationId)])
}

/// A provider who signed up through an affiliate manager's invitation joined that manager's roster.
public struct AffiliateRosterJoined: EventPayload {
    public var affiliateManagerId: String = ""
    public var invitationId: String = ""
    public var providerId: String = ""

    public init(affiliateManagerId: String, invitationId: String, providerId: String) {
        self.affiliateManagerId = affiliateManagerId
        self.invitationId = invitationId
        self.providerId = providerId
    }

    public init() {}

    public static let declaration = EventDeclaration<AffiliateRosterJoined>(
        "AffiliateRosterJoined", version: 1, case: MarketplaceEvent.affiliateRosterJoined, stream: (.roster, \.affiliateManagerId),
        fields: [PayloadField("affiliateManagerId", \.affiliateManagerId),
                 PayloadField("invitationId", \.invitationId), PayloadField("providerId", \.providerId)])
}
