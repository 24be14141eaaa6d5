import Access
import Application
import Foundation
import Marketplace
import Testing

/// The access policy per role: commands (who a key acts as) and reads (per view of the catalogue).
@Suite struct AccessPolicyTests {
    static let sam = Principal(keyId: "00000000000000a1", actor: "u-sam", role: .user)
    static let ops = Principal(keyId: "00000000000000b2", actor: "u-ops", role: .operator)
    static let auditor = Principal(keyId: "00000000000000c3", actor: "u-audit", role: .auditor)
    static let system = Principal(keyId: "00000000000000d4", actor: "system", role: .system)

    static func request(actor: String?) -> CommandRequest {
        CommandRequest(actor: actor, commandId: "c-1", .createTeam(CreateTeam(teamId: "t-1", name: "Team")))
    }

    static func actor(_ decision: CommandDecision) -> String? {
        if case .allowed(let command) = decision { return command.envelope.actor }
        return nil
    }

    static func reason(_ decision: CommandDecision) -> String? {
        if case .forbidden(let reason) = decision { return reason }
        return nil
    }

    @Test func aUserKeyActsOnlyAsItsUser() {
        let filled = AccessPolicy.authorize(Self.sam, command: Self.request(actor: nil))
        #expect(Self.actor(filled) == "u-sam")
        if case .allowed(let command) = filled {
            #expect(command.operatorPrincipal == nil)
            #expect(command.envelope.commandId == "c-1")
        }
        #expect(Self.actor(AccessPolicy.authorize(Self.sam, command: Self.request(actor: "u-sam"))) == "u-sam")
        for other in ["u-amy", "system", "U-SAM", "u-sam "] {
            let reason = Self.reason(AccessPolicy.authorize(Self.sam, command: Self.request(actor: other)))
            #expect(reason != nil, "\(other)")
            #expect(reason.map { !$0.contains("u-sam") && !$0.contains("u-amy") } ?? false, "the reason names a user")
        }
    }

    @Test func anOperatorKeyActsOnBehalfOfANamedUserNeverSystem() {
        let decision = AccessPolicy.authorize(Self.ops, command: Self.request(actor: "u-amy"))
        guard case .allowed(let command) = decision else {
            Issue.record("refused: \(decision)")
            return
        }
        #expect(command.envelope.actor == "u-amy")
        #expect(command.operatorPrincipal == Self.ops)
        // Even as the operator's own user, the log records the operator.
        if case .allowed(let own) = AccessPolicy.authorize(Self.ops, command: Self.request(actor: "u-ops")) {
            #expect(own.operatorPrincipal == Self.ops)
        } else {
            Issue.record("an operator may act as its own user")
        }
        #expect(Self.reason(AccessPolicy.authorize(Self.ops, command: Self.request(actor: nil)))?.contains("name that user") == true)
        #expect(Self.reason(AccessPolicy.authorize(Self.ops, command: Self.request(actor: "system")))?.contains("system key") == true)
    }

    @Test func anAuditorKeyWritesNothing() {
        for actor in [nil, "u-audit", "u-sam", "system"] {
            #expect(Self.reason(AccessPolicy.authorize(Self.auditor, command: Self.request(actor: actor))) != nil)
        }
    }

    @Test func onlyASystemKeyActsAsSystem() {
        #expect(Self.actor(AccessPolicy.authorize(Self.system, command: Self.request(actor: nil))) == "system")
        #expect(Self.actor(AccessPolicy.authorize(Self.system, command: Self.request(actor: "system"))) == "system")
        if case .allowed(let onBehalf) = AccessPolicy.authorize(Self.system, command: Self.request(actor: "u-amy")) {
            #expect(onBehalf.envelope.actor == "u-amy")
            #expect(onBehalf.operatorPrincipal == Self.system)
        } else {
            Issue.record("a system key may act on behalf of a user")
        }
        for principal in [Self.sam, Self.ops, Self.auditor] {
            guard case .forbidden = AccessPolicy.authorize(principal, command: Self.request(actor: "system")) else {
                Issue.record("\(principal.role) acted as system")
                continue
            }
        }
    }

    @Test func aCommandBodyMayLeaveOutItsActor() throws {
        let missing = try CommandRequest.parse(jsonBytes: Array(#"{"command":"CreateTeam","teamId":"t-1","name":"T"}"#.utf8))
        #expect(missing.actor == nil)
        #expect(missing.command.name == "CreateTeam")
        let given = try CommandRequest.parse(jsonBytes: Array(#" {"actor":"u-sam","command":"CreateTeam","name":"T","commandId":"c-9"}"#.utf8))
        #expect(given.actor == "u-sam")
        #expect(given.commandId == "c-9")
        // An empty object and other bodies keep the parse's own messages.
        #expect(throws: CommandRejection.self) { try CommandRequest.parse(jsonBytes: Array("{}".utf8)) }
        #expect(throws: CommandRejection.self) { try CommandRequest.parse(jsonBytes: Array("{".utf8)) }
        #expect(throws: CommandRejection.self) { try CommandRequest.parse(jsonBytes: Array(#"{"actor":null,"command":"CreateTeam","name":"T"}"#.utf8)) }
        #expect(throws: CommandRejection.self) { try CommandRequest.parse(jsonBytes: Array(#"{"command":"CreateTeam","name":"T","name":"U"}"#.utf8)) }
        #expect(throws: CommandRejection.self) { try CommandRequest.parse(jsonBytes: Array("[]".utf8)) }
    }

    /// Answers from fixed sets: u-sam is an active member of t-acme (and left t-old), a party to a-1,
    /// the poster of j-sam.
    struct Facts: MembershipLookup {
        func isActiveMember(user: String, team: String) throws -> Bool { user == "u-sam" && team == "t-acme" }
        func isParty(user: String, assignment: String) throws -> Bool { user == "u-sam" && assignment == "a-1" }
        func isPoster(user: String, job: String) throws -> Bool { user == "u-sam" && job == "j-sam" }
    }

    /// A lookup that must not be asked (the decision needs no read model).
    struct NoFacts: MembershipLookup {
        struct Asked: Error {}
        func isActiveMember(user: String, team: String) throws -> Bool { throw Asked() }
        func isParty(user: String, assignment: String) throws -> Bool { throw Asked() }
        func isPoster(user: String, job: String) throws -> Bool { throw Asked() }
    }

    static func view(_ name: String, _ key: String? = nil, _ filters: [String: String] = [:]) -> ReadRequest {
        .view(name: name, key: key, filters: filters)
    }

    /// Each view of the catalogue with what a user key (u-sam) may and may not read of it.
    static let userCases: [(ReadRequest, Bool)] = [
        (view("inbox", "u-sam"), true), (view("inbox", "u-amy"), false),
        (view("teams", "u-sam"), true), (view("teams", "u-amy"), false),
        (view("affiliate-roster", "u-sam"), true), (view("affiliate-roster", "u-amy"), false),
        (view("team-roster", "t-acme"), true), (view("team-roster", "t-old"), false), (view("team-roster", "t-other"), false),
        (view("mailing-list", "t-acme"), true), (view("mailing-list", "t-other"), false),
        (view("assignment", "a-1"), true), (view("assignment", "a-2"), false),
        (view("interviews", "j-sam"), true), (view("interviews", "j-other"), false),
        (view("jobs"), true), (view("jobs", nil, ["posted-by": "u-amy"]), true),
        (view("invitations", nil, ["invited-by": "u-sam"]), true),
        (view("invitations", nil, ["invited-by": "u-sam", "kind": "team", "status": "pending"]), true),
        (view("invitations"), false), (view("invitations", nil, ["invited-by": "u-amy"]), false),
        (view("invitations", nil, ["kind": "team"]), false),
        (view("users"), false), (view("users", nil, ["role": "provider"]), false),
        (view("no-such-view", "u-sam"), false),
        (.status, true), (.log, false), (.sql, false), (.feed, false), (.verify, false),
    ]

    @Test(arguments: AccessPolicyTests.userCases.indices)
    func aUserKeyReadsWhatItsUserMaySee(index: Int) throws {
        let (read, allowed) = Self.userCases[index]
        let decision = try AccessPolicy.authorize(Self.sam, read: read, lookup: Facts())
        #expect((decision == .allowed) == allowed, "\(read): \(decision)")
        if case .forbidden(let reason) = decision {
            #expect(!reason.contains("u-sam") && !reason.contains("u-amy") && !reason.contains("t-acme"), "the reason names someone")
            #expect(reason.contains("operator or auditor key"), "the reason says what to do")
        }
    }

    @Test(arguments: [AccessPolicyTests.ops, AccessPolicyTests.auditor, AccessPolicyTests.system])
    func operatorAuditorAndSystemKeysReadEverything(principal: Principal) throws {
        for (read, _) in Self.userCases {
            #expect(try AccessPolicy.authorize(principal, read: read, lookup: NoFacts()) == .allowed, "\(read)")
        }
    }

    @Test func everyViewOfTheCatalogueHasAUserRule() {
        let names = Set(QueryView.all.map(\.name))
        #expect(Set(AccessPolicy.userViewRules.keys) == names)
    }

    @Test func aQueryRequestReachesThePolicyWithItsKeyAndEveryFilter() throws {
        let all = Dictionary(uniqueKeysWithValues: QueryFilter.all.map { ($0.name, $0.allowed?.first ?? "u-x") })
        let request = try QueryRequest(view: "invitations", key: nil, filters: all)
        guard case let .view(name, key, filters) = request.readRequest else {
            Issue.record("not a view")
            return
        }
        #expect(name == "invitations" && key == nil)
        #expect(filters == all)
        let inbox = try QueryRequest(view: "inbox", key: "u-sam", filters: [:]).readRequest
        #expect(inbox == .view(name: "inbox", key: "u-sam", filters: [:]))
    }
}
