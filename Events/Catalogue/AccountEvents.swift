// The catalogue's event types: each declares its stored properties (in sorted key order, as the payloads
// are written), its blank `init()` and its declaration; the memberwise initialiser and the field list
// follow from the properties (EventPayloads+Generated.swift, written by Tools/generate-catalogue).

/// A user opened an account, directly or by signing up through an invitation to the network.
public struct AccountRegistered: EventPayload {
    public var email: String = ""
    public var invitationId: String?
    public var name: String = ""
    public var role: AccountRole = .buyer
    public var userId: String = ""

    public init() {}

    public static let declaration = EventDeclaration<AccountRegistered>(
        "AccountRegistered", version: 1, case: MarketplaceEvent.accountRegistered, stream: (.user, \.userId))
}

/// An email address (normalized) became an account's address; no other account may claim it.
public struct EmailAddressClaimed: EventPayload {
    public var email: String = ""
    public var userId: String = ""

    public init() {}

    public static let declaration = EventDeclaration<EmailAddressClaimed>(
        "EmailAddressClaimed", version: 1, case: MarketplaceEvent.emailAddressClaimed, stream: (.email, \.email))
}

/// A buyer enabled their marketplace address (`USERID@odesk.com`), so team and assignment emails reach them.
public struct MarketplaceEmailEnabled: EventPayload {
    public var address: String = ""
    public var userId: String = ""

    public init() {}

    public static let declaration = EventDeclaration<MarketplaceEmailEnabled>(
        "MarketplaceEmailEnabled", version: 1, case: MarketplaceEvent.marketplaceEmailEnabled, stream: (.user, \.userId))
}
