/// An invitation email as the `outbox` view holds it: what the email says follows from it (`Mail`).
/// Holds the signup token: never print it or log it.
public struct OutboxEmail: Sendable, Hashable {
    public var invitationId: String
    public var recipient: String
    public var subject: String
    public var inviterId: String
    public var inviterName: String
    /// The inviter is an affiliate manager: the email carries the affiliate's confirmation URL.
    public var fromAffiliateManager: Bool
    public var teamName: String?
    public var token: String
    /// Attempts made so far (the next is `attempts + 1`).
    public var attempts: Int
    /// The Message-ID of earlier attempts, if any (a re-sent email keeps it).
    public var messageId: String?
    public var position: UInt64

    public init(invitationId: String, recipient: String, subject: String, inviterId: String, inviterName: String,
                fromAffiliateManager: Bool, teamName: String?, token: String, attempts: Int, messageId: String?, position: UInt64) {
        self.invitationId = invitationId
        self.recipient = recipient
        self.subject = subject
        self.inviterId = inviterId
        self.inviterName = inviterName
        self.fromAffiliateManager = fromAffiliateManager
        self.teamName = teamName
        self.token = token
        self.attempts = attempts
        self.messageId = messageId
        self.position = position
    }
}
