import EventLog
import Events
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

    public func apply(_ event: MarketplaceEvent, envelope: RecordedEvent, in db: Database) throws {
        let now = envelope.recordedAtMicros
        switch event {
        case .accountRegistered(let e):
            guard e.role == .affiliateManager else { return }
            try db.run("INSERT INTO affiliate_managers (user_id, name, email) VALUES (?, ?, ?)", [e.userId, e.name, e.email])
        case .providerInvited(let e):
            let isManager = try Bool.fetchOne(
                db.cachedStatement(sql: "SELECT 1 FROM affiliate_managers WHERE user_id = ?"), arguments: [e.invitedBy]) ?? false
            guard isManager else { return }
            try db.run("""
                INSERT INTO affiliate_invitations (invitation_id, affiliate_manager_id, email, invited_at_micros)
                VALUES (?, ?, ?, ?)
                """, [e.invitationId, e.invitedBy, e.email, now])
        case .affiliateRosterJoined(let e):
            let invitation = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT email, invited_at_micros FROM affiliate_invitations WHERE invitation_id = ?"),
                arguments: [e.invitationId])
            let email: String? = invitation?[0]
            let invitedAt: Int64? = invitation?[1]
            try db.run("""
                INSERT OR REPLACE INTO affiliate_roster (affiliate_manager_id, provider_id, invitation_id, invited_email,
                                                         invited_at_micros, joined_at_micros, joined_position)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, [e.affiliateManagerId, e.providerId, e.invitationId, email, invitedAt, now, Int64(envelope.position)])
        default:
            break
        }
    }
}
