import EventLog
public import Events
import GRDB

/// `users`: every account, its role, how it signed up, and its marketplace address.
public struct UsersProjection: MarketplaceProjection {
    public init() {}
    public let name = "users"
    public let schemaVersion = 1
    public let tables = ["users"]
    public let eventTypes: Set<String> = [AccountRegistered.eventType, MarketplaceEmailEnabled.eventType]

    public let schema = [
        """
        CREATE TABLE users (
            user_id TEXT PRIMARY KEY NOT NULL,
            name TEXT NOT NULL,
            email TEXT NOT NULL,
            role TEXT NOT NULL,
            invitation_id TEXT,
            marketplace_address TEXT NOT NULL,
            marketplace_email_enabled INTEGER NOT NULL DEFAULT 0,
            registered_at_micros INTEGER NOT NULL,
            position INTEGER NOT NULL
        ) WITHOUT ROWID
        """,
    ]
    public let queryIndexes = [
        "CREATE INDEX users_by_email ON users(email)",
        "CREATE INDEX users_by_role ON users(role, user_id)",
    ]

    public func apply(_ event: MarketplaceEvent, envelope: EventEnvelope, in context: ProjectionContext) throws {
        switch event {
        case .accountRegistered(let e):
            try context.execute(0, """
                INSERT INTO users (user_id, name, email, role, invitation_id, marketplace_address,
                                   registered_at_micros, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """) {
                $0.bind(1, e.userId); $0.bind(2, e.name); $0.bind(3, e.email); $0.bind(4, e.role.rawValue)
                $0.bind(5, e.invitationId); $0.bind(6, MarketplaceAddress.of(e.userId))
                $0.bind(7, envelope.recordedAtMicros); $0.bind(8, envelope.position)
            }
        case .marketplaceEmailEnabled(let e):
            try context.execute(1, "UPDATE users SET marketplace_email_enabled = 1, marketplace_address = ? WHERE user_id = ?") {
                $0.bind(1, e.address); $0.bind(2, e.userId)
            }
        default:
            break
        }
    }
}
