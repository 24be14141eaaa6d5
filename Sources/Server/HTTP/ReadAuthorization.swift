import Access
import HTTPTypes

/// The access policy's decision on a read that needs no look-up in the read models (the log, the feed,
/// SQL, verify, status): forbidden is 403 with the policy's reason.
enum ReadAuthorization {
    static func check(_ context: TeamlogRequestContext, _ read: ReadRequest) throws(Problem) {
        let principal = try context.caller()
        let decision: AccessDecision
        do {
            decision = try AccessPolicy.authorize(principal, read: read, lookup: NoMembership())
        } catch {
            throw Problem(.internalServerError, code: "failure", "the access check failed")
        }
        if case .forbidden(let reason) = decision { throw Problem.forbidden(reason) }
    }

    /// For reads whose decision never depends on memberships.
    private struct NoMembership: MembershipLookup {
        func isActiveMember(user: String, team: String) throws -> Bool { false }
        func isParty(user: String, assignment: String) throws -> Bool { false }
        func isPoster(user: String, job: String) throws -> Bool { false }
    }
}
