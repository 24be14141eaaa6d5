// The catalogue's event types: each declares its stored properties (in sorted key order, as the payloads
// are written), its blank `init()` and its declaration; the memberwise initialiser and the field list
// follow from the properties (EventPayloads+Generated.swift, written by Tools/generate-catalogue).

/// A user created a team (a team room); the creator is its first admin.
public struct TeamCreated: EventPayload {
    public var createdBy: String = ""
    public var name: String = ""
    public var teamId: String = ""

    public init() {}

    public static let declaration = EventDeclaration<TeamCreated>(
        "TeamCreated", version: 1, case: MarketplaceEvent.teamCreated, stream: (.team, \.teamId))
}

/// A team admin invited a member, by email (`email` set) or by user id, to join the team in `role`.
public struct TeamInvitationSent: EventPayload {
    public var email: String?
    public var invitationId: String = ""
    public var invitedBy: String = ""
    public var role: TeamRole = .member
    public var teamId: String = ""
    public var userId: String = ""

    public init() {}

    public static let declaration = EventDeclaration<TeamInvitationSent>(
        "TeamInvitationSent", version: 1, case: MarketplaceEvent.teamInvitationSent, stream: (.team, \.teamId))
}

/// A user joined a team: as its creator, by accepting a team invitation, or by signing up through a network invitation that named it.
public struct TeamMemberAdded: EventPayload {
    public var invitationId: String?
    public var role: TeamRole = .member
    public var teamId: String = ""
    public var userId: String = ""
    public var via: TeamJoinRoute = .creator

    public init() {}

    public static let declaration = EventDeclaration<TeamMemberAdded>(
        "TeamMemberAdded", version: 1, case: MarketplaceEvent.teamMemberAdded, stream: (.team, \.teamId))
}

/// A member left the team.
public struct TeamMemberLeft: EventPayload {
    public var teamId: String = ""
    public var userId: String = ""

    public init() {}

    public static let declaration = EventDeclaration<TeamMemberLeft>(
        "TeamMemberLeft", version: 1, case: MarketplaceEvent.teamMemberLeft, stream: (.team, \.teamId))
}

/// A team admin removed a member.
public struct TeamMemberRemoved: EventPayload {
    public var removedBy: String = ""
    public var teamId: String = ""
    public var userId: String = ""

    public init() {}

    public static let declaration = EventDeclaration<TeamMemberRemoved>(
        "TeamMemberRemoved", version: 1, case: MarketplaceEvent.teamMemberRemoved, stream: (.team, \.teamId))
}
