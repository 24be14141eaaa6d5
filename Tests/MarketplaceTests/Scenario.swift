import EventLog
import Events
import Foundation
import Marketplace
import Synchronization
import Testing

/// Ids 1, 2, 3, … so that generated ids are predictable in tests.
final class Counter: Sendable {
    private let value = Atomic<Int>(0)
    func next() -> Int { value.add(1, ordering: .relaxed).newValue }
}

func countingIds(prefix: String = "g") -> IdGenerator {
    let counter = Counter()
    return IdGenerator { "\(prefix)\(counter.next())" }
}

/// Given these events, when this command, then these events or this rejection.
final class Scenario {
    let store = InMemoryEventStore()
    let stateStore = InMemoryDecisionStateStore()
    private(set) var market: Marketplace

    init(_ given: [MarketplaceEvent] = []) throws {
        for event in given {
            _ = try store.append(ProposedCommit(events: [Self.proposed(event)], actor: "test"))
        }
        market = try Marketplace(store: store, stateStore: stateStore, ids: countingIds())
    }

    static func proposed(_ event: MarketplaceEvent) -> ProposedEvent {
        ProposedEvent(stream: event.stream, type: event.eventType, schemaVersion: event.schemaVersion, payload: event.encodedPayload())
    }

    /// A new Marketplace over the same log and saved state: a process restart.
    func restart() throws {
        try market.checkpoint()
        market = try Marketplace(store: store, stateStore: stateStore, ids: countingIds(prefix: "r"))
    }

    var head: UInt64 { (try? store.head().position) ?? 0 }

    @discardableResult
    func run(_ actor: String, _ command: Command, commandId: String? = nil) throws -> CommandOutcome {
        try market.execute(CommandEnvelope(actor: actor, commandId: commandId, command))
    }

    /// Expects the command to yield exactly `expected`, appended to the log.
    func expectEvents(_ actor: String, _ command: Command, _ expected: [MarketplaceEvent],
                      sourceLocation: SourceLocation = #_sourceLocation) throws {
        let before = head
        let outcome = try run(actor, command)
        #expect(outcome.events == expected, sourceLocation: sourceLocation)
        let stored = try store.events(from: before + 1).collect().map {
            try EventCatalogue.decode(type: $0.type, schemaVersion: $0.schemaVersion, payload: $0.payload)
        }
        #expect(stored == expected, sourceLocation: sourceLocation)
    }

    /// Expects the command to be rejected with `code`, the log unchanged. Returns the message.
    @discardableResult
    func expectRejection(_ actor: String, _ command: Command, _ code: CommandRejection.Code,
                         sourceLocation: SourceLocation = #_sourceLocation) -> String {
        let before = head
        do {
            let outcome = try run(actor, command)
            Issue.record("expected \(code), got events \(outcome.events.map(\.eventType))", sourceLocation: sourceLocation)
            return ""
        } catch let error as MarketplaceError {
            #expect(error.rejection?.code == code, "\(error)", sourceLocation: sourceLocation)
            #expect(head == before, "a rejected command appended", sourceLocation: sourceLocation)
            return error.rejection?.message ?? ""
        } catch {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
            return ""
        }
    }
}

/// The cast most tests start from.
enum Cast {
    static let buyer = "b1", provider = "p1", provider2 = "p2", company = "c1", affiliate = "a1", staffing = "s1", buyer2 = "b2"
    static let team = "t1"

    static func account(_ id: String, _ role: AccountRole) -> [MarketplaceEvent] {
        let email = "\(id)@example.com"
        return [.accountRegistered(AccountRegistered(email: email, name: "Name \(id)", role: role, userId: id)),
                .emailAddressClaimed(EmailAddressClaimed(email: email, userId: id))]
    }

    static var everyone: [MarketplaceEvent] {
        account(buyer, .buyer) + account(provider, .provider) + account(provider2, .provider) + account(company, .providerCompany)
            + account(affiliate, .affiliateManager) + account(staffing, .staffingManager) + account(buyer2, .buyer)
    }

    /// The buyer's team, with provider p1 as a member.
    static var buyerTeam: [MarketplaceEvent] {
        [.teamCreated(TeamCreated(createdBy: buyer, name: "Buyer team", teamId: team)),
         .teamMemberAdded(TeamMemberAdded(role: .admin, teamId: team, userId: buyer, via: .creator)),
         .teamInvitationSent(TeamInvitationSent(invitationId: "ti0", invitedBy: buyer, role: .member, teamId: team, userId: provider)),
         .teamMemberAdded(TeamMemberAdded(invitationId: "ti0", role: .member, teamId: team, userId: provider, via: .teamInvitation))]
    }

    static func invited(_ id: String, by inviter: String, email: String, team: String? = nil) -> MarketplaceEvent {
        .providerInvited(ProviderInvited(email: email, invitationId: id, invitedBy: inviter, teamId: team, token: "\(id).secret"))
    }

    static var job: [MarketplaceEvent] {
        [.jobPosted(JobPosted(description: "Build it", jobId: "j1", postedBy: buyer, purpose: .work, title: "Swift dev", visibility: .public))]
    }
}
