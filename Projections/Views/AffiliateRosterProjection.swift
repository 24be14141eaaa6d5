import EventLog
public import Events
import GRDB

/// `affiliate_roster`: the providers on each affiliate manager's roster, with the invitation each came through.
public struct AffiliateRosterProjection: MarketplaceProjection {
    public init() {}
    public let name = "affiliate_roster"
    public let schemaVersion = 1
    public let tables = ["affiliate_managers", "affiliate_invitations", "affiliate_roster"]
    public let eventTypes: Set<String> = [
        AccountRegistered.eventType, ProviderInvited.eventType, AffiliateRosterJoined.eventType,
    ]

    public let schema = [
        """
        CREATE TABLE affiliate_managers (
            user_id TEXT PRIMARY KEY NOT NULL,
            name TEXT NOT NULL,
            email TEXT NOT NULL
        ) WITHOUT ROWID
        """,
        """
        CREATE TABLE affiliate_invitations (
            invitation_id TEXT PRIMARY KEY NOT NULL,
            affiliate_manager_id TEXT NOT NULL,
            email TEXT NOT NULL,
            invited_at_micros INTEGER NOT NULL
        ) WITHOUT ROWID
        """,
        """
        CREATE TABLE affiliate_roster (
            affiliate_manager_id TEXT NOT NULL,
            provider_id TEXT NOT NULL,
            invitation_id TEXT NOT NULL,
            invited_email TEXT,
            invited_at_micros INTEGER,
            joined_at_micros INTEGER NOT NULL,
            joined_position INTEGER NOT NULL,
            PRIMARY KEY (affiliate_manager_id, provider_id)
        ) WITHOUT ROWID
        """,
    ]
    public let queryIndexes = [
        "CREATE INDEX affiliate_roster_by_provider ON affiliate_roster(provider_id)",
    ]

    public func apply(_ event: MarketplaceEvent, envelope: EventEnvelope, in context: ProjectionContext) throws {
        let now = envelope.recordedAtMicros
        switch event {
        case .accountRegistered(let e):
            guard e.role == .affiliateManager else { return }
            try context.execute(0, "INSERT INTO affiliate_managers (user_id, name, email) VALUES (?, ?, ?)") {
                $0.bind(1, e.userId); $0.bind(2, e.name); $0.bind(3, e.email)
            }
        case .providerInvited(let e):
            let isManager = try context.queryRow(1, "SELECT 1 FROM affiliate_managers WHERE user_id = ?",
                                                 { $0.bind(1, e.invitedBy) }, { _ in true }) ?? false
            guard isManager else { return }
            try context.execute(2, """
                INSERT INTO affiliate_invitations (invitation_id, affiliate_manager_id, email, invited_at_micros)
                VALUES (?, ?, ?, ?)
                """) {
                $0.bind(1, e.invitationId); $0.bind(2, e.invitedBy); $0.bind(3, e.email); $0.bind(4, now)
            }
        case .affiliateRosterJoined(let e):
            let invitation = try context.queryRow(3, "SELECT email, invited_at_micros FROM affiliate_invitations WHERE invitation_id = ?",
                                                  { $0.bind(1, e.invitationId) }, { ($0.text(0), $0.int64(1)) })
            try context.execute(4, """
                INSERT OR REPLACE INTO affiliate_roster (affiliate_manager_id, provider_id, invitation_id, invited_email,
                                                         invited_at_micros, joined_at_micros, joined_position)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """) {
                $0.bind(1, e.affiliateManagerId); $0.bind(2, e.providerId); $0.bind(3, e.invitationId)
                $0.bind(4, invitation?.0)
                if let invitedAt = invitation?.1 { $0.bind(5, invitedAt) } else { $0.bind(5, nil as String?) }
                $0.bind(6, now); $0.bind(7, envelope.position)
            }
        default:
            break
        }
    }
}
