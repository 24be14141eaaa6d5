import EventLog
public import Events
import GRDB

/// `invitations`: invitations to the network (by email, with a signup token) and to teams, with their status.
///
/// Status: `pending`, then `accepted`, `revoked` or `expired` (network), `pending` then `accepted` (team).
public struct InvitationsProjection: MarketplaceProjection {
    public init() {}
    public let name = "invitations"
    public let schemaVersion = 1
    public let tables = ["invitations"]
    public let eventTypes: Set<String> = [
        ProviderInvited.eventType, InviteAccepted.eventType, InvitationRevoked.eventType,
        InvitationExpired.eventType, TeamInvitationSent.eventType, TeamMemberAdded.eventType,
    ]

    public let schema = [
        """
        CREATE TABLE invitations (
            invitation_id TEXT PRIMARY KEY NOT NULL,
            kind TEXT NOT NULL,
            invited_by TEXT NOT NULL,
            email TEXT,
            user_id TEXT,
            team_id TEXT,
            role TEXT,
            token TEXT,
            status TEXT NOT NULL,
            sent_at_micros INTEGER NOT NULL,
            closed_at_micros INTEGER,
            accepted_by TEXT,
            revoked_by TEXT,
            position INTEGER NOT NULL
        ) WITHOUT ROWID
        """,
    ]
    public let queryIndexes = [
        "CREATE INDEX invitations_by_inviter ON invitations(invited_by, sent_at_micros)",
        "CREATE INDEX invitations_by_email ON invitations(email)",
        "CREATE INDEX invitations_by_team ON invitations(team_id)",
    ]

    public func apply(_ event: MarketplaceEvent, envelope: EventEnvelope, in context: ProjectionContext) throws {
        let now = envelope.recordedAtMicros
        switch event {
        case .providerInvited(let e):
            try context.execute(0, """
                INSERT INTO invitations (invitation_id, kind, invited_by, email, team_id, token, status, sent_at_micros, position)
                VALUES (?, 'network', ?, ?, ?, ?, 'pending', ?, ?)
                """) {
                $0.bind(1, e.invitationId); $0.bind(2, e.invitedBy); $0.bind(3, e.email); $0.bind(4, e.teamId)
                $0.bind(5, e.token); $0.bind(6, now); $0.bind(7, envelope.position)
            }
        case .inviteAccepted(let e):
            try close(context, e.invitationId, status: "accepted", now: now, acceptedBy: e.userId)
        case .invitationRevoked(let e):
            try context.execute(1, """
                UPDATE invitations SET status = 'revoked', closed_at_micros = ?, revoked_by = ?
                WHERE invitation_id = ? AND status = 'pending'
                """) {
                $0.bind(1, now); $0.bind(2, e.revokedBy); $0.bind(3, e.invitationId)
            }
        case .invitationExpired(let e):
            try close(context, e.invitationId, status: "expired", now: now, acceptedBy: nil)
        case .teamInvitationSent(let e):
            try context.execute(2, """
                INSERT INTO invitations (invitation_id, kind, invited_by, email, user_id, team_id, role, status,
                                         sent_at_micros, position)
                VALUES (?, 'team', ?, ?, ?, ?, ?, 'pending', ?, ?)
                """) {
                $0.bind(1, e.invitationId); $0.bind(2, e.invitedBy); $0.bind(3, e.email); $0.bind(4, e.userId)
                $0.bind(5, e.teamId); $0.bind(6, e.role.rawValue); $0.bind(7, now); $0.bind(8, envelope.position)
            }
        case .teamMemberAdded(let e):
            guard e.via == .teamInvitation, let invitationId = e.invitationId else { return }
            try close(context, invitationId, status: "accepted", now: now, acceptedBy: e.userId)
        default:
            break
        }
    }

    private func close(_ context: ProjectionContext, _ invitationId: String, status: String, now: Int64, acceptedBy: String?) throws {
        try context.execute(3, """
            UPDATE invitations SET status = ?, closed_at_micros = ?, accepted_by = ?
            WHERE invitation_id = ? AND status = 'pending'
            """) {
            $0.bind(1, status); $0.bind(2, now); $0.bind(3, acceptedBy); $0.bind(4, invitationId)
        }
    }
}
