// The catalogue's event types. Field lists are in sorted key order, as the payloads are written.

/// A user opened an account, directly or by signing up through an invitation to the network.
public struct AccountRegistered: EventPayload {
    public var email: String = ""
    public var invitationId: String?
    public var name: String = ""
    public var role: AccountRole = .buyer
    public var userId: String = ""

    public init(email: String, invitationId: String? = nil, name: String, role: AccountRole, userId: String) {
        self.email = email
        self.invitationId = invitationId
        self.name = name
        self.role = role
        self.userId = userId
    }

    public init() {}

    public static let declaration = EventDeclaration<AccountRegistered>(
        "AccountRegistered", version: 1, case: MarketplaceEvent.accountRegistered, stream: (.user, \.userId),
        fields: [PayloadField("email", \.email), PayloadField("invitationId", \.invitationId),
                 PayloadField("name", \.name), PayloadField("role", \.role), PayloadField("userId", \.userId)])
}

/// An email address (normalized) became an account's address; no other account may claim it.
public struct EmailAddressClaimed: EventPayload {
    public var email: String = ""
    public var userId: String = ""

    public init(email: String, userId: String) {
        self.email = email
        self.userId = userId
    }

    public init() {}

    public static let declaration = EventDeclaration<EmailAddressClaimed>(
        "EmailAddressClaimed", version: 1, case: MarketplaceEvent.emailAddressClaimed, stream: (.email, \.email),
        fields: [PayloadField("email", \.email), PayloadField("userId", \.userId)])
}

/// A buyer enabled their marketplace address (`USERID@odesk.com`), so team and assignment emails reach them.
public struct MarketplaceEmailEnabled: EventPayload {
    public var address: String = ""
    public var userId: String = ""

    public init(address: String, userId: String) {
        self.address = address
        self.userId = userId
    }

    public init() {}

    public static let declaration = EventDeclaration<MarketplaceEmailEnabled>(
        "MarketplaceEmailEnabled", version: 1, case: MarketplaceEvent.marketplaceEmailEnabled, stream: (.user, \.userId),
        fields: [PayloadField("address", \.address), PayloadField("userId", \.userId)])
}
