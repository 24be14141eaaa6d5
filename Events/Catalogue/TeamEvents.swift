// The catalogue's event types. Field lists are in sorted key order, as the payloads are written.

/// A user created a team (a team room); the creator is its first admin.
public struct TeamCreated: EventPayload {
    public var createdBy: String = ""
    public var name: String = ""
    public var teamId: String = ""

    public init(createdBy: String, name: String, teamId: String) {
        self.createdBy = createdBy
        self.name = name
        self.teamId = teamId
    }

    public init() {}

    public static let declaration = EventDeclaration<TeamCreated>(
        "TeamCreated", version: 1, case: MarketplaceEvent.teamCreated, stream: (.team, \.teamId),
        fields: [PayloadField("createdBy", \.createdBy), PayloadField("name", \.name),
                 PayloadField("teamId", \.teamId)])
}

/// A team admin invited a member, by email (`email` set) or by user id, to join the team in `role`.
public struct TeamInvitationSent: EventPayload {
    public var email: String?
    public var invitationId: String = ""
    public var invitedBy: String = ""
    public var role: TeamRole = .member
    public var teamId: String = ""
    public var userId: String = ""

    public init(email: String? = nil, invitationId: String, invitedBy: String, role: TeamRole, teamId: String, userId: String) {
        self.email = email
        self.invitationId = invitationId
        self.invitedBy = invitedBy
        self.role = role
        self.teamId = teamId
        self.userId = userId
    }

    public init() {}

    public static let declaration = EventDeclaration<TeamInvitationSent>(
        "TeamInvitationSent", version: 1, case: MarketplaceEvent.teamInvitationSent, stream: (.team, \.teamId),
        fields: [PayloadField("email", \.email), PayloadField("invitationId", \.invitationId),
                 PayloadField("invitedBy", \.invitedBy), PayloadField("role", \.role),
                 PayloadField("teamId", \.teamId), PayloadField("userId", \.userId)])
}

/// A user joined a team: as its creator, by accepting a team invitation, or by signing up through a network invitation that named it.
public struct TeamMemberAdded: EventPayload {
    public var invitationId: String?
    public var role: TeamRole = .member
    public var teamId: String = ""
    public var userId: String = ""
    public var via: TeamJoinRoute = .creator

    public init(invitationId: String? = nil, role: TeamRole, teamId: String, userId: String, via: TeamJoinRoute) {
        self.invitationId = invitationId
        self.role = role
        self.teamId = teamId
        self.userId = userId
        self.via = via
    }

    public init() {}

    public static let declaration = EventDeclaration<TeamMemberAdded>(
        "TeamMemberAdded", version: 1, case: MarketplaceEvent.teamMemberAdded, stream: (.team, \.teamId),
        fields: [PayloadField("invitationId", \.invitationId), PayloadField("role", \.role),
                 PayloadField("teamId", \.teamId), PayloadField("userId", \.userId), PayloadField("via", \.via)])
}

/// A member left the team.
public struct TeamMemberLeft: EventPayload {
    public var teamId: String = ""
    public var userId: String = ""

    public init(teamId: String, userId: String) {
        self.teamId = teamId
        self.userId = userId
    }

    public init() {}

    public static let declaration = EventDeclaration<TeamMemberLeft>(
        "TeamMemberLeft", version: 1, case: MarketplaceEvent.teamMemberLeft, stream: (.team, \.teamId),
        fields: [PayloadField("teamId", \.teamId), PayloadField("userId", \.userId)])
}

/// A team admin removed a member.
public struct TeamMemberRemoved: EventPayload {
    public var removedBy: String = ""
    public var teamId: String = ""
    public var userId: String = ""

    public init(removedBy: String, teamId: String, userId: String) {
        self.removedBy = removedBy
        self.teamId = teamId
        self.userId = userId
    }

    public init() {}

    public static let declaration = EventDeclaration<TeamMemberRemoved>(
        "TeamMemberRemoved", version: 1, case: MarketplaceEvent.teamMemberRemoved, stream: (.team, \.teamId),
        fields: [PayloadField("removedBy", \.removedBy), PayloadField("teamId", \.teamId),
                 PayloadField("userId", \.userId)])
}
