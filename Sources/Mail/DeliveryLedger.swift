public import Application
public import Marketplace
public import Projections

/// Where a delivery pass reads the emails due and records what became of them: the CLI's store
/// (`teamlog deliver`) or the server's own writer (`teamlog serve`).
public protocol DeliveryLedger: Sendable {
    /// The pending emails due at `nowMicros`, oldest first, at most `limit`.
    func dueEmails(atMicros nowMicros: Int64, limit: Int) async throws(ApplicationError) -> [OutboxEmail]
    /// Appends a delivery record (`RecordInvitationEmailSent` or `…Failed`, actor `system`) and returns
    /// once it is durable.
    func record(_ command: Command) async throws(ApplicationError)
}
