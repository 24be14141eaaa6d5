import EventLog
public import Events
import GRDB

/// `assignments`: hires with their parties (buyer, provider, staffing manager), status, and payments.
///
/// The SQL view `assignment_party_addresses` gives each party's `address`, the one "email all parties"
/// reaches: the provider's and the staffing manager's `USERID@odesk.com`, and the buyer's only once the
/// buyer enabled it (NULL until then). `assignment_parties.address` holds the fixed ones (NULL for the
/// buyer); enabling joins in, so a buyer who enables later is reached on every assignment at once.
public struct AssignmentsProjection: MarketplaceProjection {
    public init() {}
    public let name = "assignments"
    public let schemaVersion = 2
    public let tables = ["assignments", "assignment_parties", "assignment_payments", "assignment_enabled_addresses"]
    public let eventTypes: Set<String> = [
        ProviderHired.eventType, AssignmentEnded.eventType, PaymentRecorded.eventType, MarketplaceEmailEnabled.eventType,
    ]

    public let schema = [
        """
        CREATE TABLE assignments (
            assignment_id TEXT PRIMARY KEY NOT NULL,
            job_id TEXT NOT NULL,
            buyer_id TEXT NOT NULL,
            provider_id TEXT NOT NULL,
            staffing_manager_id TEXT NOT NULL,
            status TEXT NOT NULL,
            hired_at_micros INTEGER NOT NULL,
            ended_at_micros INTEGER,
            ended_by TEXT,
            paid_cents INTEGER NOT NULL DEFAULT 0,
            payment_count INTEGER NOT NULL DEFAULT 0
        ) WITHOUT ROWID
        """,
        """
        CREATE TABLE assignment_parties (
            assignment_id TEXT NOT NULL,
            party TEXT NOT NULL,
            user_id TEXT NOT NULL,
            address TEXT,
            PRIMARY KEY (assignment_id, party)
        ) WITHOUT ROWID
        """,
        """
        CREATE TABLE assignment_payments (
            position INTEGER PRIMARY KEY NOT NULL,
            payment_id TEXT NOT NULL,
            assignment_id TEXT NOT NULL,
            amount_cents INTEGER NOT NULL,
            currency TEXT NOT NULL,
            paid_by TEXT NOT NULL,
            paid_at_micros INTEGER NOT NULL
        )
        """,
        """
        CREATE TABLE assignment_enabled_addresses (
            user_id TEXT PRIMARY KEY NOT NULL,
            address TEXT NOT NULL
        ) WITHOUT ROWID
        """,
        """
        CREATE VIEW assignment_party_addresses AS
        SELECT p.assignment_id, p.party, p.user_id, COALESCE(p.address, e.address) AS address
        FROM assignment_parties p
        LEFT JOIN assignment_enabled_addresses e ON p.party = 'buyer' AND e.user_id = p.user_id
        """,
    ]
    public let queryIndexes = [
        "CREATE INDEX assignment_parties_by_user ON assignment_parties(user_id)",
        "CREATE INDEX assignment_payments_by_assignment ON assignment_payments(assignment_id, position)",
        "CREATE INDEX assignments_by_job ON assignments(job_id)",
    ]

    public func apply(_ event: MarketplaceEvent, envelope: EventEnvelope, in context: ProjectionContext) throws {
        let now = envelope.recordedAtMicros
        switch event {
        case .providerHired(let e):
            try context.execute(0, """
                INSERT INTO assignments (assignment_id, job_id, buyer_id, provider_id, staffing_manager_id, status, hired_at_micros)
                VALUES (?, ?, ?, ?, ?, 'active', ?)
                """) {
                $0.bind(1, e.assignmentId); $0.bind(2, e.jobId); $0.bind(3, e.buyerId); $0.bind(4, e.providerId)
                $0.bind(5, e.staffingManagerId); $0.bind(6, now)
            }
            for (party, userId, address) in [("buyer", e.buyerId, String?.none),
                                             ("provider", e.providerId, MarketplaceAddress.of(e.providerId)),
                                             ("staffingManager", e.staffingManagerId, MarketplaceAddress.of(e.staffingManagerId))] {
                try context.execute(1, "INSERT INTO assignment_parties (assignment_id, party, user_id, address) VALUES (?, ?, ?, ?)") {
                    $0.bind(1, e.assignmentId); $0.bind(2, party); $0.bind(3, userId); $0.bind(4, address)
                }
            }
        case .marketplaceEmailEnabled(let e):
            try context.execute(5, "INSERT OR REPLACE INTO assignment_enabled_addresses (user_id, address) VALUES (?, ?)") {
                $0.bind(1, e.userId); $0.bind(2, e.address)
            }
        case .assignmentEnded(let e):
            try context.execute(2, "UPDATE assignments SET status = 'ended', ended_at_micros = ?, ended_by = ? WHERE assignment_id = ?") {
                $0.bind(1, now); $0.bind(2, e.endedBy); $0.bind(3, e.assignmentId)
            }
        case .paymentRecorded(let e):
            try context.execute(3, """
                INSERT INTO assignment_payments (position, payment_id, assignment_id, amount_cents, currency, paid_by, paid_at_micros)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """) {
                $0.bind(1, envelope.position); $0.bind(2, e.paymentId); $0.bind(3, e.assignmentId); $0.bind(4, e.amountCents)
                $0.bind(5, e.currency); $0.bind(6, e.paidBy); $0.bind(7, now)
            }
            try context.execute(4, """
                UPDATE assignments SET paid_cents = paid_cents + ?, payment_count = payment_count + 1 WHERE assignment_id = ?
                """) {
                $0.bind(1, e.amountCents); $0.bind(2, e.assignmentId)
            }
        default:
            break
        }
    }
}
