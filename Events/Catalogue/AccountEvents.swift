// The catalogue's event types. Field lists are in sorted key order, as the payloads are written.

/// A user opened an account, directly or by signing up through an invitation to the network.
/// Stream: `user-<userId>`.
///
/// v1 fields: `email`, `invitationId` (optional), `name`, `role`, `userId`.
public struct AccountRegistered: EventPayload {
    public static let eventType = "AccountRegistered"
    public static let schemaVersion: UInt16 = 1
    public var email: String
    public var invitationId: String?
    public var name: String
    public var role: AccountRole
    public var userId: String

    public init(email: String, invitationId: String? = nil, name: String, role: AccountRole, userId: String) {
        self.email = email
        self.invitationId = invitationId
        self.name = name
        self.role = role
        self.userId = userId
    }

    public var stream: String { StreamName.user(userId) }
    public var event: MarketplaceEvent { .accountRegistered(self) }

    public init(reading reader: inout FlatJSONReader) throws(FlatJSONError) {
        var email: String?
        var invitationId: String?
        var name: String?
        var role: AccountRole?
        var userId: String?
        while try reader.nextKey() {
            if reader.isKey("email") {
                email = try reader.string("email")
            } else if reader.isKey("invitationId") {
                invitationId = try reader.optionalString("invitationId")
            } else if reader.isKey("name") {
                name = try reader.string("name")
            } else if reader.isKey("role") {
                role = try reader.value("role", as: AccountRole.self)
            } else if reader.isKey("userId") {
                userId = try reader.string("userId")
            } else {
                try reader.skipValue()
            }
        }
        self.init(
            email: try FlatJSONReader.required(email, "email"),
            invitationId: invitationId,
            name: try FlatJSONReader.required(name, "name"),
            role: try FlatJSONReader.required(role, "role"),
            userId: try FlatJSONReader.required(userId, "userId")
        )
    }

    public func write(to writer: inout FlatJSONWriter) {
        writer.field("email", email)
        writer.field("invitationId", invitationId)
        writer.field("name", name)
        writer.field("role", role)
        writer.field("userId", userId)
    }
}

/// An email address (normalized) became an account's address; no other account may claim it.
/// Stream: `email-<email>`.
///
/// v1 fields: `email`, `userId`.
public struct EmailAddressClaimed: EventPayload {
    public static let eventType = "EmailAddressClaimed"
    public static let schemaVersion: UInt16 = 1
    public var email: String
    public var userId: String

    public init(email: String, userId: String) {
        self.email = email
        self.userId = userId
    }

    public var stream: String { StreamName.email(email) }
    public var event: MarketplaceEvent { .emailAddressClaimed(self) }

    public init(reading reader: inout FlatJSONReader) throws(FlatJSONError) {
        var email: String?
        var userId: String?
        while try reader.nextKey() {
            if reader.isKey("email") {
                email = try reader.string("email")
            } else if reader.isKey("userId") {
                userId = try reader.string("userId")
            } else {
                try reader.skipValue()
            }
        }
        self.init(
            email: try FlatJSONReader.required(email, "email"),
            userId: try FlatJSONReader.required(userId, "userId")
        )
    }

    public func write(to writer: inout FlatJSONWriter) {
        writer.field("email", email)
        writer.field("userId", userId)
    }
}

/// A buyer enabled their marketplace address (`USERID@odesk.com`), so team and assignment emails reach them.
/// Stream: `user-<userId>`.
///
/// v1 fields: `address`, `userId`.
public struct MarketplaceEmailEnabled: EventPayload {
    public static let eventType = "MarketplaceEmailEnabled"
    public static let schemaVersion: UInt16 = 1
    public var address: String
    public var userId: String

    public init(address: String, userId: String) {
        self.address = address
        self.userId = userId
    }

    public var stream: String { StreamName.user(userId) }
    public var event: MarketplaceEvent { .marketplaceEmailEnabled(self) }

    public init(reading reader: inout FlatJSONReader) throws(FlatJSONError) {
        var address: String?
        var userId: String?
        while try reader.nextKey() {
            if reader.isKey("address") {
                address = try reader.string("address")
            } else if reader.isKey("userId") {
                userId = try reader.string("userId")
            } else {
                try reader.skipValue()
            }
        }
        self.init(
            address: try FlatJSONReader.required(address, "address"),
            userId: try FlatJSONReader.required(userId, "userId")
        )
    }

    public func write(to writer: inout FlatJSONWriter) {
        writer.field("address", address)
        writer.field("userId", userId)
    }
}
