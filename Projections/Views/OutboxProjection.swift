import EventLog
public import Events
import GRDB

/// `outbox`: the invitation email of every invitation to the network, with its delivery status.
///
/// Status: `pending` (to be sent: never tried, or tried and failed for a reason that passes, to be tried
/// again from `next_attempt_at_micros`), then `sent`, `failed` (the relay refused it for good), or
/// `cancelled` (the invitation was accepted, revoked or expired before its email went out). The email's
/// text follows from the row (`Mail.InvitationEmail`); the row keeps the token the signup URL carries,
/// which `teamlog query outbox` does not show.
public struct OutboxProjection: MarketplaceProjection {
    public init() {}
    public let name = "outbox"
    public let schemaVersion = 1
    public let tables = ["outbox", "outbox_people", "outbox_teams"]
    public let eventTypes: Set<String> = [
        AccountRegistered.eventType, TeamCreated.eventType, ProviderInvited.eventType, InviteAccepted.eventType,
        InvitationRevoked.eventType, InvitationExpired.eventType, InvitationEmailSent.eventType, InvitationEmailFailed.eventType,
    ]

    public let schema = [
        """
        CREATE TABLE outbox (
            invitation_id TEXT PRIMARY KEY NOT NULL,
            recipient TEXT NOT NULL,
            subject TEXT NOT NULL,
            inviter_id TEXT NOT NULL,
            inviter_name TEXT NOT NULL,
            affiliate_manager INTEGER NOT NULL,
            team_id TEXT,
            team_name TEXT,
            token TEXT NOT NULL,
            status TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            message_id TEXT,
            relay TEXT,
            last_error TEXT,
            queued_at_micros INTEGER NOT NULL,
            next_attempt_at_micros INTEGER,
            sent_at_micros INTEGER,
            failed_at_micros INTEGER,
            position INTEGER NOT NULL
        ) WITHOUT ROWID
        """,
        """
        CREATE TABLE outbox_people (
            user_id TEXT PRIMARY KEY NOT NULL,
            name TEXT NOT NULL,
            role TEXT NOT NULL
        ) WITHOUT ROWID
        """,
        """
        CREATE TABLE outbox_teams (
            team_id TEXT PRIMARY KEY NOT NULL,
            name TEXT NOT NULL
        ) WITHOUT ROWID
        """,
    ]
    public let queryIndexes = [
        "CREATE INDEX outbox_due ON outbox(status, next_attempt_at_micros, position)",
        "CREATE INDEX outbox_by_position ON outbox(position)",
    ]

    public func apply(_ event: MarketplaceEvent, envelope: EventEnvelope, in context: ProjectionContext) throws {
        let now = envelope.recordedAtMicros
        switch event {
        case .accountRegistered(let e):
            try context.execute(0, "INSERT OR REPLACE INTO outbox_people (user_id, name, role) VALUES (?, ?, ?)") {
                $0.bind(1, e.userId); $0.bind(2, e.name); $0.bind(3, e.role.rawValue)
            }
        case .teamCreated(let e):
            try context.execute(1, "INSERT OR REPLACE INTO outbox_teams (team_id, name) VALUES (?, ?)") {
                $0.bind(1, e.teamId); $0.bind(2, e.name)
            }
        case .providerInvited(let e):
            try queue(e, envelope: envelope, in: context)
        case .inviteAccepted(let e):
            try cancel(e.invitationId, in: context)
        case .invitationRevoked(let e):
            try cancel(e.invitationId, in: context)
        case .invitationExpired(let e):
            try cancel(e.invitationId, in: context)
        case .invitationEmailSent(let e):
            // Sent is what happened, whatever the row said (a revocation may have come while it went out).
            try context.execute(2, """
                UPDATE outbox SET status = 'sent', attempts = max(attempts, ?), message_id = ?, relay = ?, sent_at_micros = ?,
                                  next_attempt_at_micros = NULL
                WHERE invitation_id = ?
                """) {
                $0.bind(1, e.attempt); $0.bind(2, e.messageId); $0.bind(3, e.relay); $0.bind(4, now); $0.bind(5, e.invitationId)
            }
        case .invitationEmailFailed(let e):
            // A failure after a success changes nothing but the record of attempts (at least once: a second
            // delivery of a sent email may fail).
            try context.execute(3, """
                UPDATE outbox SET attempts = max(attempts, ?), message_id = ?, relay = ?, last_error = ?,
                    status = CASE WHEN status = 'pending' AND ? IS NULL THEN 'failed' ELSE status END,
                    failed_at_micros = CASE WHEN status = 'pending' AND ? IS NULL THEN ? ELSE failed_at_micros END,
                    next_attempt_at_micros = CASE WHEN status = 'pending' THEN ? ELSE next_attempt_at_micros END
                WHERE invitation_id = ?
                """) {
                $0.bind(1, e.attempt); $0.bind(2, e.messageId); $0.bind(3, e.relay); $0.bind(4, e.reason)
                $0.bind(5, e.retryAtMicros); $0.bind(6, e.retryAtMicros); $0.bind(7, now); $0.bind(8, e.retryAtMicros)
                $0.bind(9, e.invitationId)
            }
        default:
            break
        }
    }

    private func queue(_ e: ProviderInvited, envelope: EventEnvelope, in context: ProjectionContext) throws {
        let inviter = try context.queryRow(4, "SELECT name, role FROM outbox_people WHERE user_id = ?", { $0.bind(1, e.invitedBy) }) {
            (name: $0.text(0), role: $0.text(1))
        }
        var teamName: String?
        if let teamId = e.teamId {
            teamName = try context.queryRow(5, "SELECT name FROM outbox_teams WHERE team_id = ?", { $0.bind(1, teamId) }) { $0.text(0) } ?? nil
        }
        let inviterName = inviter?.name ?? e.invitedBy
        let affiliate = inviter?.role == AccountRole.affiliateManager.rawValue
        let subject = InvitationEmailSubject.text(inviterName: inviterName, teamName: teamName, affiliate: affiliate)
        try context.execute(6, """
            INSERT INTO outbox (invitation_id, recipient, subject, inviter_id, inviter_name, affiliate_manager, team_id, team_name,
                                token, status, queued_at_micros, next_attempt_at_micros, position)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)
            """) {
            $0.bind(1, e.invitationId); $0.bind(2, e.email); $0.bind(3, subject); $0.bind(4, e.invitedBy); $0.bind(5, inviterName)
            $0.bind(6, affiliate ? 1 : 0); $0.bind(7, e.teamId); $0.bind(8, teamName); $0.bind(9, e.token)
            $0.bind(10, envelope.recordedAtMicros); $0.bind(11, envelope.recordedAtMicros); $0.bind(12, envelope.position)
        }
    }

    private func cancel(_ invitationId: String, in context: ProjectionContext) throws {
        try context.execute(7, """
            UPDATE outbox SET status = 'cancelled', next_attempt_at_micros = NULL WHERE invitation_id = ? AND status = 'pending'
            """) {
            $0.bind(1, invitationId)
        }
    }
}

/// The subject line of an invitation email: who invites, and to what.
public enum InvitationEmailSubject {
    public static func text(inviterName: String, teamName: String?, affiliate: Bool) -> String {
        if affiliate { return "\(inviterName) invites you to join oDesk as one of their affiliated providers" }
        if let teamName { return "\(inviterName) invites you to join oDesk and the team room of \(teamName)" }
        return "\(inviterName) invites you to join oDesk"
    }
}
