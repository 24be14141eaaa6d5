// The catalogue's event types. Field lists are in sorted key order, as the payloads are written.

/// Someone invited an email address to join the network as a provider; `token` is the signup token of the
/// invitation email's URL. `teamId` (v2) names the team the new provider joins on signup.
/// Stream: `invitation-<invitationId>`.
///
/// v2 fields: `email`, `invitationId`, `invitedBy`, `teamId` (optional), `token`.
public struct ProviderInvited: EventPayload {
    public static let eventType = "ProviderInvited"
    public static let schemaVersion: UInt16 = 2
    public var email: String
    public var invitationId: String
    public var invitedBy: String
    public var teamId: String?
    public var token: String

    public init(email: String, invitationId: String, invitedBy: String, teamId: String? = nil, token: String) {
        self.email = email
        self.invitationId = invitationId
        self.invitedBy = invitedBy
        self.teamId = teamId
        self.token = token
    }

    public var stream: String { StreamName.invitation(invitationId) }
    public var event: MarketplaceEvent { .providerInvited(self) }

    public init(reading reader: inout FlatJSONReader) throws(FlatJSONError) {
        var email: String?
        var invitationId: String?
        var invitedBy: String?
        var teamId: String?
        var token: String?
        while try reader.nextKey() {
            if reader.isKey("email") {
                email = try reader.string("email")
            } else if reader.isKey("invitationId") {
                invitationId = try reader.string("invitationId")
            } else if reader.isKey("invitedBy") {
                invitedBy = try reader.string("invitedBy")
            } else if reader.isKey("teamId") {
                teamId = try reader.optionalString("teamId")
            } else if reader.isKey("token") {
                token = try reader.string("token")
            } else {
                try reader.skipValue()
            }
        }
        self.init(
            email: try FlatJSONReader.required(email, "email"),
            invitationId: try FlatJSONReader.required(invitationId, "invitationId"),
            invitedBy: try FlatJSONReader.required(invitedBy, "invitedBy"),
            teamId: teamId,
            token: try FlatJSONReader.required(token, "token")
        )
    }

    public func write(to writer: inout FlatJSONWriter) {
        writer.field("email", email)
        writer.field("invitationId", invitationId)
        writer.field("invitedBy", invitedBy)
        writer.field("teamId", teamId)
        writer.field("token", token)
    }
}

/// The invited person signed up with the invitation's token, creating account `userId`.
/// Stream: `invitation-<invitationId>`.
///
/// v1 fields: `invitationId`, `userId`.
public struct InviteAccepted: EventPayload {
    public static let eventType = "InviteAccepted"
    public static let schemaVersion: UInt16 = 1
    public var invitationId: String
    public var userId: String

    public init(invitationId: String, userId: String) {
        self.invitationId = invitationId
        self.userId = userId
    }

    public var stream: String { StreamName.invitation(invitationId) }
    public var event: MarketplaceEvent { .inviteAccepted(self) }

    public init(reading reader: inout FlatJSONReader) throws(FlatJSONError) {
        var invitationId: String?
        var userId: String?
        while try reader.nextKey() {
            if reader.isKey("invitationId") {
                invitationId = try reader.string("invitationId")
            } else if reader.isKey("userId") {
                userId = try reader.string("userId")
            } else {
                try reader.skipValue()
            }
        }
        self.init(
            invitationId: try FlatJSONReader.required(invitationId, "invitationId"),
            userId: try FlatJSONReader.required(userId, "userId")
        )
    }

    public func write(to writer: inout FlatJSONWriter) {
        writer.field("invitationId", invitationId)
        writer.field("userId", userId)
    }
}

/// The inviter revoked a pending invitation; its token no longer works.
/// Stream: `invitation-<invitationId>`.
///
/// v1 fields: `invitationId`, `revokedBy`.
public struct InvitationRevoked: EventPayload {
    public static let eventType = "InvitationRevoked"
    public static let schemaVersion: UInt16 = 1
    public var invitationId: String
    public var revokedBy: String

    public init(invitationId: String, revokedBy: String) {
        self.invitationId = invitationId
        self.revokedBy = revokedBy
    }

    public var stream: String { StreamName.invitation(invitationId) }
    public var event: MarketplaceEvent { .invitationRevoked(self) }

    public init(reading reader: inout FlatJSONReader) throws(FlatJSONError) {
        var invitationId: String?
        var revokedBy: String?
        while try reader.nextKey() {
            if reader.isKey("invitationId") {
                invitationId = try reader.string("invitationId")
            } else if reader.isKey("revokedBy") {
                revokedBy = try reader.string("revokedBy")
            } else {
                try reader.skipValue()
            }
        }
        self.init(
            invitationId: try FlatJSONReader.required(invitationId, "invitationId"),
            revokedBy: try FlatJSONReader.required(revokedBy, "revokedBy")
        )
    }

    public func write(to writer: inout FlatJSONWriter) {
        writer.field("invitationId", invitationId)
        writer.field("revokedBy", revokedBy)
    }
}

/// A pending invitation expired (decided by the system's expiry sweep); its token no longer works.
/// Stream: `invitation-<invitationId>`.
///
/// v1 fields: `invitationId`.
public struct InvitationExpired: EventPayload {
    public static let eventType = "InvitationExpired"
    public static let schemaVersion: UInt16 = 1
    public var invitationId: String

    public init(invitationId: String) {
        self.invitationId = invitationId
    }

    public var stream: String { StreamName.invitation(invitationId) }
    public var event: MarketplaceEvent { .invitationExpired(self) }

    public init(reading reader: inout FlatJSONReader) throws(FlatJSONError) {
        var invitationId: String?
        while try reader.nextKey() {
            if reader.isKey("invitationId") {
                invitationId = try reader.string("invitationId")
            } else {
                try reader.skipValue()
            }
        }
        self.init(
            invitationId: try FlatJSONReader.required(invitationId, "invitationId")
        )
    }

    public func write(to writer: inout FlatJSONWriter) {
        writer.field("invitationId", invitationId)
    }
}

/// A provider who signed up through an affiliate manager's invitation joined that manager's roster.
/// Stream: `roster-<affiliateManagerId>`.
///
/// v1 fields: `affiliateManagerId`, `invitationId`, `providerId`.
public struct AffiliateRosterJoined: EventPayload {
    public static let eventType = "AffiliateRosterJoined"
    public static let schemaVersion: UInt16 = 1
    public var affiliateManagerId: String
    public var invitationId: String
    public var providerId: String

    public init(affiliateManagerId: String, invitationId: String, providerId: String) {
        self.affiliateManagerId = affiliateManagerId
        self.invitationId = invitationId
        self.providerId = providerId
    }

    public var stream: String { StreamName.roster(affiliateManagerId) }
    public var event: MarketplaceEvent { .affiliateRosterJoined(self) }

    public init(reading reader: inout FlatJSONReader) throws(FlatJSONError) {
        var affiliateManagerId: String?
        var invitationId: String?
        var providerId: String?
        while try reader.nextKey() {
            if reader.isKey("affiliateManagerId") {
                affiliateManagerId = try reader.string("affiliateManagerId")
            } else if reader.isKey("invitationId") {
                invitationId = try reader.string("invitationId")
            } else if reader.isKey("providerId") {
                providerId = try reader.string("providerId")
            } else {
                try reader.skipValue()
            }
        }
        self.init(
            affiliateManagerId: try FlatJSONReader.required(affiliateManagerId, "affiliateManagerId"),
            invitationId: try FlatJSONReader.required(invitationId, "invitationId"),
            providerId: try FlatJSONReader.required(providerId, "providerId")
        )
    }

    public func write(to writer: inout FlatJSONWriter) {
        writer.field("affiliateManagerId", affiliateManagerId)
        writer.field("invitationId", invitationId)
        writer.field("providerId", providerId)
    }
}
