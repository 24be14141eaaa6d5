// The catalogue's event types. Field lists are in sorted key order, as the payloads are written.

/// A user created a team (a team room); the creator is its first admin.
/// Stream: `team-<teamId>`.
///
/// v1 fields: `createdBy`, `name`, `teamId`.
public struct TeamCreated: EventPayload {
    public static let eventType = "TeamCreated"
    public static let schemaVersion: UInt16 = 1
    public var createdBy: String
    public var name: String
    public var teamId: String

    public init(createdBy: String, name: String, teamId: String) {
        self.createdBy = createdBy
        self.name = name
        self.teamId = teamId
    }

    public var stream: String { StreamName.team(teamId) }
    public var event: MarketplaceEvent { .teamCreated(self) }

    public init(reading reader: inout FlatJSONReader) throws(FlatJSONError) {
        var createdBy: String?
        var name: String?
        var teamId: String?
        while try reader.nextKey() {
            if reader.isKey("createdBy") {
                createdBy = try reader.string("createdBy")
            } else if reader.isKey("name") {
                name = try reader.string("name")
            } else if reader.isKey("teamId") {
                teamId = try reader.string("teamId")
            } else {
                try reader.skipValue()
            }
        }
        self.init(
            createdBy: try FlatJSONReader.required(createdBy, "createdBy"),
            name: try FlatJSONReader.required(name, "name"),
            teamId: try FlatJSONReader.required(teamId, "teamId")
        )
    }

    public func write(to writer: inout FlatJSONWriter) {
        writer.field("createdBy", createdBy)
        writer.field("name", name)
        writer.field("teamId", teamId)
    }
}

/// A team admin invited a member, by email (`email` set) or by user id, to join the team in `role`.
/// Stream: `team-<teamId>`.
///
/// v1 fields: `email` (optional), `invitationId`, `invitedBy`, `role`, `teamId`, `userId`.
public struct TeamInvitationSent: EventPayload {
    public static let eventType = "TeamInvitationSent"
    public static let schemaVersion: UInt16 = 1
    public var email: String?
    public var invitationId: String
    public var invitedBy: String
    public var role: TeamRole
    public var teamId: String
    public var userId: String

    public init(email: String? = nil, invitationId: String, invitedBy: String, role: TeamRole, teamId: String, userId: String) {
        self.email = email
        self.invitationId = invitationId
        self.invitedBy = invitedBy
        self.role = role
        self.teamId = teamId
        self.userId = userId
    }

    public var stream: String { StreamName.team(teamId) }
    public var event: MarketplaceEvent { .teamInvitationSent(self) }

    public init(reading reader: inout FlatJSONReader) throws(FlatJSONError) {
        var email: String?
        var invitationId: String?
        var invitedBy: String?
        var role: TeamRole?
        var teamId: String?
        var userId: String?
        while try reader.nextKey() {
            if reader.isKey("email") {
                email = try reader.optionalString("email")
            } else if reader.isKey("invitationId") {
                invitationId = try reader.string("invitationId")
            } else if reader.isKey("invitedBy") {
                invitedBy = try reader.string("invitedBy")
            } else if reader.isKey("role") {
                role = try reader.value("role", as: TeamRole.self)
            } else if reader.isKey("teamId") {
                teamId = try reader.string("teamId")
            } else if reader.isKey("userId") {
                userId = try reader.string("userId")
            } else {
                try reader.skipValue()
            }
        }
        self.init(
            email: email,
            invitationId: try FlatJSONReader.required(invitationId, "invitationId"),
            invitedBy: try FlatJSONReader.required(invitedBy, "invitedBy"),
            role: try FlatJSONReader.required(role, "role"),
            teamId: try FlatJSONReader.required(teamId, "teamId"),
            userId: try FlatJSONReader.required(userId, "userId")
        )
    }

    public func write(to writer: inout FlatJSONWriter) {
        writer.field("email", email)
        writer.field("invitationId", invitationId)
        writer.field("invitedBy", invitedBy)
        writer.field("role", role)
        writer.field("teamId", teamId)
        writer.field("userId", userId)
    }
}

/// A user joined a team: as its creator, by accepting a team invitation, or by signing up through a network invitation that named it.
/// Stream: `team-<teamId>`.
///
/// v1 fields: `invitationId` (optional), `role`, `teamId`, `userId`, `via`.
public struct TeamMemberAdded: EventPayload {
    public static let eventType = "TeamMemberAdded"
    public static let schemaVersion: UInt16 = 1
    public var invitationId: String?
    public var role: TeamRole
    public var teamId: String
    public var userId: String
    public var via: TeamJoinRoute

    public init(invitationId: String? = nil, role: TeamRole, teamId: String, userId: String, via: TeamJoinRoute) {
        self.invitationId = invitationId
        self.role = role
        self.teamId = teamId
        self.userId = userId
        self.via = via
    }

    public var stream: String { StreamName.team(teamId) }
    public var event: MarketplaceEvent { .teamMemberAdded(self) }

    public init(reading reader: inout FlatJSONReader) throws(FlatJSONError) {
        var invitationId: String?
        var role: TeamRole?
        var teamId: String?
        var userId: String?
        var via: TeamJoinRoute?
        while try reader.nextKey() {
            if reader.isKey("invitationId") {
                invitationId = try reader.optionalString("invitationId")
            } else if reader.isKey("role") {
                role = try reader.value("role", as: TeamRole.self)
            } else if reader.isKey("teamId") {
                teamId = try reader.string("teamId")
            } else if reader.isKey("userId") {
                userId = try reader.string("userId")
            } else if reader.isKey("via") {
                via = try reader.value("via", as: TeamJoinRoute.self)
            } else {
                try reader.skipValue()
            }
        }
        self.init(
            invitationId: invitationId,
            role: try FlatJSONReader.required(role, "role"),
            teamId: try FlatJSONReader.required(teamId, "teamId"),
            userId: try FlatJSONReader.required(userId, "userId"),
            via: try FlatJSONReader.required(via, "via")
        )
    }

    public func write(to writer: inout FlatJSONWriter) {
        writer.field("invitationId", invitationId)
        writer.field("role", role)
        writer.field("teamId", teamId)
        writer.field("userId", userId)
        writer.field("via", via)
    }
}

/// A member left the team.
/// Stream: `team-<teamId>`.
///
/// v1 fields: `teamId`, `userId`.
public struct TeamMemberLeft: EventPayload {
    public static let eventType = "TeamMemberLeft"
    public static let schemaVersion: UInt16 = 1
    public var teamId: String
    public var userId: String

    public init(teamId: String, userId: String) {
        self.teamId = teamId
        self.userId = userId
    }

    public var stream: String { StreamName.team(teamId) }
    public var event: MarketplaceEvent { .teamMemberLeft(self) }

    public init(reading reader: inout FlatJSONReader) throws(FlatJSONError) {
        var teamId: String?
        var userId: String?
        while try reader.nextKey() {
            if reader.isKey("teamId") {
                teamId = try reader.string("teamId")
            } else if reader.isKey("userId") {
                userId = try reader.string("userId")
            } else {
                try reader.skipValue()
            }
        }
        self.init(
            teamId: try FlatJSONReader.required(teamId, "teamId"),
            userId: try FlatJSONReader.required(userId, "userId")
        )
    }

    public func write(to writer: inout FlatJSONWriter) {
        writer.field("teamId", teamId)
        writer.field("userId", userId)
    }
}

/// A team admin removed a member.
/// Stream: `team-<teamId>`.
///
/// v1 fields: `removedBy`, `teamId`, `userId`.
public struct TeamMemberRemoved: EventPayload {
    public static let eventType = "TeamMemberRemoved"
    public static let schemaVersion: UInt16 = 1
    public var removedBy: String
    public var teamId: String
    public var userId: String

    public init(removedBy: String, teamId: String, userId: String) {
        self.removedBy = removedBy
        self.teamId = teamId
        self.userId = userId
    }

    public var stream: String { StreamName.team(teamId) }
    public var event: MarketplaceEvent { .teamMemberRemoved(self) }

    public init(reading reader: inout FlatJSONReader) throws(FlatJSONError) {
        var removedBy: String?
        var teamId: String?
        var userId: String?
        while try reader.nextKey() {
            if reader.isKey("removedBy") {
                removedBy = try reader.string("removedBy")
            } else if reader.isKey("teamId") {
                teamId = try reader.string("teamId")
            } else if reader.isKey("userId") {
                userId = try reader.string("userId")
            } else {
                try reader.skipValue()
            }
        }
        self.init(
            removedBy: try FlatJSONReader.required(removedBy, "removedBy"),
            teamId: try FlatJSONReader.required(teamId, "teamId"),
            userId: try FlatJSONReader.required(userId, "userId")
        )
    }

    public func write(to writer: inout FlatJSONWriter) {
        writer.field("removedBy", removedBy)
        writer.field("teamId", teamId)
        writer.field("userId", userId)
    }
}
