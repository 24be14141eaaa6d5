import EventLog
public import Events
import GRDB

/// `team_roster`: members per team, their role, how and when each joined, and the team mailing list.
///
/// `team_members.via` is how the member joined: `creator`, `teamInvitation` (then `invited_as` says whether
/// the invitation named an `email` or a `user_id`), or `networkInvitation` (signed up through a network
/// invitation sent by `invited_by` on behalf of the team). Affiliated contractors have role
/// `affiliatedContractor`. The SQL view `team_mailing_list` lists each active member's address: every
/// provider's `USERID@odesk.com`, and each other member's marketplace address if they enabled it.
public struct TeamRosterProjection: MarketplaceProjection {
    public init() {}
    public let name = "team_roster"
    public let schemaVersion = 1
    public let tables = ["team_teams", "team_members", "team_invitations", "team_network_invitations", "team_people"]
    public let eventTypes: Set<String> = [
        AccountRegistered.eventType, MarketplaceEmailEnabled.eventType, ProviderInvited.eventType,
        TeamCreated.eventType, TeamInvitationSent.eventType, TeamMemberAdded.eventType,
        TeamMemberLeft.eventType, TeamMemberRemoved.eventType,
    ]

    public let schema = [
        """
        CREATE TABLE team_teams (
            team_id TEXT PRIMARY KEY NOT NULL,
            name TEXT NOT NULL,
            created_by TEXT NOT NULL,
            created_at_micros INTEGER NOT NULL
        ) WITHOUT ROWID
        """,
        """
        CREATE TABLE team_members (
            team_id TEXT NOT NULL,
            user_id TEXT NOT NULL,
            role TEXT NOT NULL,
            via TEXT NOT NULL,
            invitation_id TEXT,
            invited_by TEXT,
            invited_as TEXT,
            status TEXT NOT NULL,
            joined_at_micros INTEGER NOT NULL,
            joined_position INTEGER NOT NULL,
            left_at_micros INTEGER,
            removed_by TEXT,
            PRIMARY KEY (team_id, user_id)
        ) WITHOUT ROWID
        """,
        """
        CREATE TABLE team_invitations (
            invitation_id TEXT PRIMARY KEY NOT NULL,
            team_id TEXT NOT NULL,
            user_id TEXT NOT NULL,
            email TEXT,
            invited_by TEXT NOT NULL,
            role TEXT NOT NULL,
            sent_at_micros INTEGER NOT NULL
        ) WITHOUT ROWID
        """,
        """
        CREATE TABLE team_network_invitations (
            invitation_id TEXT PRIMARY KEY NOT NULL,
            team_id TEXT NOT NULL,
            invited_by TEXT NOT NULL,
            email TEXT NOT NULL
        ) WITHOUT ROWID
        """,
        """
        CREATE TABLE team_people (
            user_id TEXT PRIMARY KEY NOT NULL,
            role TEXT NOT NULL,
            marketplace_address TEXT NOT NULL,
            marketplace_email_enabled INTEGER NOT NULL DEFAULT 0
        ) WITHOUT ROWID
        """,
        """
        CREATE VIEW team_mailing_list AS
        SELECT m.team_id, m.user_id, p.role, p.marketplace_address AS address
        FROM team_members m JOIN team_people p ON p.user_id = m.user_id
        WHERE m.status = 'active'
          AND (p.role IN ('provider', 'providerCompany') OR p.marketplace_email_enabled = 1)
        """,
    ]
    public let queryIndexes = [
        "CREATE INDEX team_members_by_user ON team_members(user_id)",
    ]

    public func apply(_ event: MarketplaceEvent, envelope: EventEnvelope, in context: ProjectionContext) throws {
        let now = envelope.recordedAtMicros
        switch event {
        case .accountRegistered(let e):
            try context.execute(0, "INSERT INTO team_people (user_id, role, marketplace_address) VALUES (?, ?, ?)") {
                $0.bind(1, e.userId); $0.bind(2, e.role.rawValue); $0.bind(3, MarketplaceAddress.of(e.userId))
            }
        case .marketplaceEmailEnabled(let e):
            try context.execute(1, "UPDATE team_people SET marketplace_email_enabled = 1, marketplace_address = ? WHERE user_id = ?") {
                $0.bind(1, e.address); $0.bind(2, e.userId)
            }
        case .providerInvited(let e):
            guard let teamId = e.teamId else { return }
            try context.execute(2, "INSERT INTO team_network_invitations (invitation_id, team_id, invited_by, email) VALUES (?, ?, ?, ?)") {
                $0.bind(1, e.invitationId); $0.bind(2, teamId); $0.bind(3, e.invitedBy); $0.bind(4, e.email)
            }
        case .teamCreated(let e):
            try context.execute(3, "INSERT INTO team_teams (team_id, name, created_by, created_at_micros) VALUES (?, ?, ?, ?)") {
                $0.bind(1, e.teamId); $0.bind(2, e.name); $0.bind(3, e.createdBy); $0.bind(4, now)
            }
        case .teamInvitationSent(let e):
            try context.execute(4, """
                INSERT INTO team_invitations (invitation_id, team_id, user_id, email, invited_by, role, sent_at_micros)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """) {
                $0.bind(1, e.invitationId); $0.bind(2, e.teamId); $0.bind(3, e.userId); $0.bind(4, e.email)
                $0.bind(5, e.invitedBy); $0.bind(6, e.role.rawValue); $0.bind(7, now)
            }
        case .teamMemberAdded(let e):
            var invitedBy: String?
            var invitedAs: String?
            if let invitationId = e.invitationId {
                switch e.via {
                case .teamInvitation:
                    let row = try context.queryRow(5, "SELECT invited_by, email IS NULL FROM team_invitations WHERE invitation_id = ?",
                                                   { $0.bind(1, invitationId) }, { ($0.text(0), $0.int64(1) != 0) })
                    invitedBy = row?.0
                    invitedAs = row.map { $0.1 ? "user_id" : "email" }
                case .networkInvitation:
                    invitedBy = try context.queryRow(6, "SELECT invited_by FROM team_network_invitations WHERE invitation_id = ?",
                                                     { $0.bind(1, invitationId) }, { $0.text(0) }) ?? nil
                    invitedAs = "email"
                case .creator:
                    break
                }
            }
            try context.execute(7, """
                INSERT OR REPLACE INTO team_members (team_id, user_id, role, via, invitation_id, invited_by, invited_as,
                                                     status, joined_at_micros, joined_position)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'active', ?, ?)
                """) {
                $0.bind(1, e.teamId); $0.bind(2, e.userId); $0.bind(3, e.role.rawValue); $0.bind(4, e.via.rawValue)
                $0.bind(5, e.invitationId); $0.bind(6, invitedBy); $0.bind(7, invitedAs); $0.bind(8, now)
                $0.bind(9, envelope.position)
            }
        case .teamMemberLeft(let e):
            try context.execute(8, "UPDATE team_members SET status = 'left', left_at_micros = ? WHERE team_id = ? AND user_id = ?") {
                $0.bind(1, now); $0.bind(2, e.teamId); $0.bind(3, e.userId)
            }
        case .teamMemberRemoved(let e):
            try context.execute(9, """
                UPDATE team_members SET status = 'removed', left_at_micros = ?, removed_by = ? WHERE team_id = ? AND user_id = ?
                """) {
                $0.bind(1, now); $0.bind(2, e.removedBy); $0.bind(3, e.teamId); $0.bind(4, e.userId)
            }
        default:
            break
        }
    }
}
