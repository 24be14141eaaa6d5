/// A read a front end is about to answer.
public enum ReadRequest: Sendable, Hashable {
    /// A view of the query catalogue (`QueryView.all`): its name, its key (nil when it takes none) and
    /// its filters by option name (`posted-by`, `invited-by`, `role`, `kind`, `status`).
    case view(name: String, key: String?, filters: [String: String])
    /// The audit trail (`teamlog log`, `GET /v1/log`).
    case log
    /// A read-only SQL statement over every view.
    case sql
    /// The live event feed.
    case feed
    /// Re-checking the log's checksums and hash chain.
    case verify
    /// The log head and the views' checkpoints (no personal data).
    case status
}

/// The answers from the read models that the policy needs about a user (the server answers them from
/// the views: `ReadModelMembership` in Application). Only asked for `user` keys.
public protocol MembershipLookup {
    /// True when `user` is an active member of `team` (not one who left or was removed).
    func isActiveMember(user: String, team: String) throws -> Bool
    /// True when `user` is a party to `assignment` (its buyer, provider or staffing manager).
    func isParty(user: String, assignment: String) throws -> Bool
    /// True when `user` posted `job`.
    func isPoster(user: String, job: String) throws -> Bool
}

/// The policy's answer on a read.
public enum AccessDecision: Sendable, Hashable {
    case allowed
    /// The reason says what to do instead; it holds no personal data (no actor or key ids).
    case forbidden(reason: String)
}
