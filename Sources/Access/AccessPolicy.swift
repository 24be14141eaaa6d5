import Marketplace

/// Who may do what, as pure functions of the principal and the request (README.md, "API keys").
///
/// Commands:
/// - `user`: acts only as its own actor. A body naming another actor is forbidden; a body naming none
///   acts as the key's actor.
/// - `operator`: acts on behalf of the user the body names (required; never `system`); the result
///   carries the operator's principal (`AuthorizedCommand.operatorPrincipal`) for the log to record.
/// - `auditor`: writes nothing.
/// - `system`: the only key that acts as `system` (a body naming no actor acts as `system`); it may also
///   act on behalf of a named user, recorded like an operator.
///
/// Reads: `operator`, `auditor` and `system` read everything. A `user` reads what `userViewRules` says
/// for each view, `status`, and nothing else: not the log, the feed, SQL or `verify`, which show every
/// user's data (or cost a full read of the log).
public enum AccessPolicy {
    // MARK: Commands

    public static func authorize(_ principal: Principal, command request: CommandRequest) -> CommandDecision {
        func allowed(as actor: String) -> CommandDecision {
            .allowed(AuthorizedCommand(envelope: CommandEnvelope(actor: actor, commandId: request.commandId,
                                                                 correlationId: request.correlationId, request.command),
                                       principal: principal))
        }
        let system = CommandEnvelope.systemActor
        switch principal.role {
        case .user:
            guard let actor = request.actor else { return allowed(as: principal.actor) }
            guard actor == principal.actor else {
                return .forbidden(reason: actor == system
                    ? "only a system key acts as '\(system)': send the command with a system key"
                    : "a user key acts only as its own user: leave out the actor (or give the key's own), or send the command with an operator key to act on behalf of another user")
            }
            return allowed(as: actor)
        case .operator:
            guard let actor = request.actor else {
                return .forbidden(reason: "an operator key acts on behalf of a user: name that user in the command's actor")
            }
            guard actor != system else {
                return .forbidden(reason: "only a system key acts as '\(system)': send the command with a system key")
            }
            return allowed(as: actor)
        case .auditor:
            return .forbidden(reason: "an auditor key reads and writes nothing: send commands with a user, operator or system key")
        case .system:
            return allowed(as: request.actor ?? system)
        }
    }

    // MARK: Reads

    /// What a `user` key may read of one view of the catalogue.
    public enum UserViewRule: Sendable, Hashable {
        /// The view's key must be the key's own user (inbox, teams, affiliate-roster).
        case ownKey
        /// The view's key is a team the user is an active member of (team-roster, mailing-list).
        case memberOfTeam
        /// The view's key is an assignment the user is a party to.
        case partyToAssignment
        /// The view's key is a job the user posted (its interviews).
        case posterOfJob
        /// Every user may read it (jobs: every job is visible, whatever the filters).
        case everyone
        /// Only with this filter, set to the user's own id (invitations: `--invited-by` themselves).
        case ownFilter(String)
        /// Not for user keys (users: every user's name and email).
        case never
    }

    /// The rule for each view of `QueryView.all` (a test checks that every view has one). A view not
    /// listed is refused to user keys.
    public static let userViewRules: [String: UserViewRule] = [
        "inbox": .ownKey,
        "teams": .ownKey,
        "affiliate-roster": .ownKey,
        "team-roster": .memberOfTeam,
        "mailing-list": .memberOfTeam,
        "assignment": .partyToAssignment,
        "interviews": .posterOfJob,
        "jobs": .everyone,
        "invitations": .ownFilter("invited-by"),
        "users": .never,
        "outbox": .never,
        "user-assignments": .ownKey,
        "job-threads": .posterOfJob,
        "all-teams": .never,
        "invitation": .never,
        "thread": .never,
    ]

    /// The decision on a read. Asks `lookup` only for a user key's team, assignment or job (its errors
    /// are the read models' and pass through).
    public static func authorize(_ principal: Principal, read: ReadRequest, lookup: some MembershipLookup) throws -> AccessDecision {
        if case let .view(_, _, filters) = read, filters["show-token"] == "true", principal.role != .operator {
            return .forbidden(reason: "only an operator key is shown signup tokens: leave out showToken, or ask an operator")
        }
        guard principal.role == .user else { return .allowed }
        let user = principal.actor
        let escalate = "or use an operator or auditor key"
        switch read {
        case .status:
            return .allowed
        case .log, .feed:
            return .forbidden(reason: "a user key does not read the audit trail or the event feed, which hold every user's events: read your inbox, teams and assignments, \(escalate)")
        case .sql:
            return .forbidden(reason: "a user key does not run SQL over the read models: query the views it may read, \(escalate)")
        case .verify:
            return .forbidden(reason: "a user key does not run verify: \(escalate)")
        case let .view(name, key, filters):
            guard let rule = userViewRules[name] else {
                return .forbidden(reason: "a user key does not read this view: \(escalate)")
            }
            switch rule {
            case .everyone:
                return .allowed
            case .never:
                return .forbidden(reason: "a user key does not read '\(name)', which lists other users' personal data: \(escalate)")
            case .ownKey:
                return key == user ? .allowed
                    : .forbidden(reason: "a user key reads only its own user's \(name): give the key's own user id, \(escalate)")
            case .memberOfTeam:
                guard let key, try lookup.isActiveMember(user: user, team: key) else {
                    return .forbidden(reason: "a user key reads the \(name) only of the teams its user is an active member of: `teams` lists them, \(escalate)")
                }
                return .allowed
            case .partyToAssignment:
                guard let key, try lookup.isParty(user: user, assignment: key) else {
                    return .forbidden(reason: "a user key reads only the assignments its user is a party to (buyer, provider or staffing manager), \(escalate)")
                }
                return .allowed
            case .posterOfJob:
                guard let key, try lookup.isPoster(user: user, job: key) else {
                    return .forbidden(reason: "a user key reads the \(name) only of the jobs its user posted, \(escalate)")
                }
                return .allowed
            case .ownFilter(let filter):
                return filters[filter] == user ? .allowed
                    : .forbidden(reason: "a user key reads only the \(name) its user sent: filter with --\(filter) set to the key's own user id, \(escalate)")
            }
        }
    }
}
