import EventLog
import Events
import Foundation
import Marketplace
import Testing

@Suite struct ConsistencyTests {
    @Test func aCommandIdAppliedTwiceHasOneEffect() throws {
        let s = try Scenario(Cast.everyone)
        let command = Command.sendMessage(SendMessage(recipientId: Cast.provider, subject: "Hi", body: "Once"))
        let first = try s.run(Cast.buyer, command, commandId: "cmd-1")
        let head = s.head
        let second = try s.run(Cast.buyer, command, commandId: "cmd-1")
        #expect(second.isDuplicate && !first.isDuplicate)
        #expect(second.positions == first.positions)
        #expect(s.head == head)
        // Also after a restart (the state is read back from its checkpoint), and in a batch.
        try s.restart()
        let third = try s.run(Cast.buyer, command, commandId: "cmd-1")
        #expect(third.isDuplicate && third.positions == first.positions)
        let batch = try s.market.executeBatch([CommandEnvelope(actor: Cast.buyer, commandId: "cmd-2", command),
                                               CommandEnvelope(actor: Cast.buyer, commandId: "cmd-2", command)])
        #expect(try batch[0].get().isDuplicate == false)
        #expect(try batch[1].get().isDuplicate == true)
        #expect(s.head == head + 2)
    }

    @Test func aCommandIdAlreadyInTheLogButUnknownToTheStateIsStillOneEffect() throws {
        // Another process appended the command; this one has a fresh state and catches up first.
        let s = try Scenario(Cast.everyone)
        let command = CommandEnvelope(actor: Cast.buyer, commandId: "cmd-9", .createTeam(CreateTeam(name: "T")))
        let other = try Marketplace(store: s.store, ids: countingIds(prefix: "o"))
        let first = try other.execute(command)
        let second = try s.market.execute(command)
        #expect(second.isDuplicate && second.positions == first.positions)
    }

    @Test func concurrentDecisionsOnOneStreamEndInOneSuccessAndOneConflict() throws {
        let s = try Scenario(Cast.everyone + Cast.buyerTeam)
        let other = try Marketplace(store: s.store, ids: countingIds(prefix: "o"))
        // Both decide on team t1 at the same version; the second to append loses.
        let a = try s.market.prepare(CommandEnvelope(actor: Cast.buyer, .inviteToTeam(InviteToTeam(teamId: Cast.team, userId: Cast.provider2))))
        let b = try other.prepare(CommandEnvelope(actor: Cast.buyer, .removeTeamMember(RemoveTeamMember(teamId: Cast.team, userId: Cast.provider))))
        _ = try s.market.commit(a)
        let head = s.head
        #expect(throws: MarketplaceError.conflict(stream: "team-t1", expected: .exactly(4), actual: 5)) { try other.commit(b) }
        #expect(s.head == head)
        // Decided again, on the new state, it succeeds.
        _ = try other.execute(b.envelope)
    }

    @Test func racingThreadsNeverLoseAnUpdate() throws {
        let s = try Scenario(Cast.everyone + [Cast.invited("i1", by: Cast.buyer, email: "race@example.com")])
        let markets = try (0..<4).map { n in try Marketplace(store: s.store, ids: countingIds(prefix: "m\(n)-")) }
        let outcomes = Outcomes()
        DispatchQueue.concurrentPerform(iterations: markets.count) { n in
            do {
                _ = try markets[n].execute(CommandEnvelope(actor: "anonymous", .acceptInvitation(AcceptInvitation(token: "i1.secret", name: "R\(n)"))))
                outcomes.add("ok")
            } catch let error as MarketplaceError {
                switch error {
                case .conflict: outcomes.add("conflict")
                case .rejected(let r): outcomes.add(r.code.rawValue)
                default: outcomes.add("other")
                }
            } catch { outcomes.add("other") }
        }
        #expect(outcomes.all.filter { $0 == "ok" }.count == 1)
        #expect(outcomes.all.allSatisfy { ["ok", "conflict", "tokenAlreadyUsed"].contains($0) })
        let accepted = try s.store.events(from: 1, filter: EventFilter(types: ["InviteAccepted"])).collect()
        #expect(accepted.count == 1)
    }

    @Test func aFreshProcessDecidesAsTheLongRunningOneAndCatchesUpWithOtherProcesses() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("teamlog-market-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let s = try Scenario(Cast.everyone + [Cast.invited("i1", by: Cast.buyer, email: "one@example.com")])
        let first = try Marketplace.open(store: s.store, storeDirectory: directory)
        _ = try first.execute(CommandEnvelope(actor: "anon", .acceptInvitation(AcceptInvitation(token: "i1.secret", name: "One"))))
        try first.checkpoint()
        let checkpointed = first.position
        // Another process revokes nothing but creates a team after the checkpoint.
        let other = try Marketplace(store: s.store)
        _ = try other.execute(CommandEnvelope(actor: Cast.buyer, .createTeam(CreateTeam(teamId: "late", name: "Late"))))
        // A fresh process reads the SQLite state back, replays only what follows its checkpoint.
        let fresh = try Marketplace.open(store: s.store, storeDirectory: directory)
        #expect(fresh.position == checkpointed)
        #expect(throws: MarketplaceError.rejected(CommandRejection(.tokenAlreadyUsed, "this invitation was already used to sign up: sign in to that account instead"))) {
            try fresh.execute(CommandEnvelope(actor: "anon", .acceptInvitation(AcceptInvitation(token: "i1.secret", name: "Two"))))
        }
        #expect(fresh.position == s.head)
        _ = try fresh.execute(CommandEnvelope(actor: Cast.buyer, .inviteToTeam(InviteToTeam(teamId: "late", userId: Cast.provider))))
    }

    @Test func aBatchDecidesInOrderAndAppendsOnlyTheAcceptedCommands() throws {
        let s = try Scenario(Cast.everyone)
        let head = s.head
        let results = try s.market.executeBatch([
            CommandEnvelope(actor: Cast.buyer, .createTeam(CreateTeam(teamId: "bt", name: "B"))),
            CommandEnvelope(actor: Cast.provider, .inviteToTeam(InviteToTeam(teamId: "bt", userId: Cast.provider2))),
            CommandEnvelope(actor: Cast.buyer, .inviteToTeam(InviteToTeam(teamId: "bt", userId: Cast.provider2, invitationId: "x"))),
            CommandEnvelope(actor: Cast.provider2, .acceptTeamInvitation(AcceptTeamInvitation(teamId: "bt", invitationId: "x"))),
        ])
        #expect((try? results[0].get()) != nil)
        #expect(results[1].failureCode == .notTeamAdmin)
        #expect(try results[3].get().positions.upperBound == head + 4)
        #expect(s.head == head + 4)
        // The state the batch left equals the state rebuilt from the log.
        let rebuilt = try Marketplace(store: s.store)
        #expect(rebuilt.decidesLike(s.market, CommandEnvelope(actor: Cast.provider2, .leaveTeam(LeaveTeam(teamId: "bt")))))
    }

    @Test func commandsHaveAJSONLinesForm() throws {
        let line = #"{"command":"InviteProviders","actor":"b1","commandId":"c-1","emails":["x@example.com"],"teamId":"t1"}"#
        let envelope = try CommandEnvelope.parse(jsonLine: line)
        #expect(envelope == CommandEnvelope(actor: "b1", commandId: "c-1", .inviteProviders(InviteProviders(emails: ["x@example.com"], teamId: "t1"))))
        #expect(try CommandEnvelope.parse(jsonLine: envelope.jsonLine()) == envelope)
        for bad in [#"{"command":"Teleport","actor":"b1"}"#, #"{"command":"PostJob","actor":"b1"}"#, "not json", #"{"actor":"b1"}"#] {
            #expect(throws: CommandRejection.self) { try CommandEnvelope.parse(jsonLine: bad) }
        }
        do {
            _ = try CommandEnvelope.parse(jsonLine: #"{"command":"PostJob","actor":"b1","title":"T","description":"D","visibility":"secret"}"#)
        } catch {
            #expect(error.code == .malformed && error.message.contains("visibility"))
        }
    }
}

final class Outcomes: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String] = []
    func add(_ value: String) { lock.lock(); values.append(value); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return values }
}

extension Result where Failure == MarketplaceError {
    var failureCode: CommandRejection.Code? {
        if case .failure(let error) = self { return error.rejection?.code }
        return nil
    }
}

extension Marketplace {
    /// Whether both decide the same events (or the same rejection) for a command.
    func decidesLike(_ other: Marketplace, _ envelope: CommandEnvelope) -> Bool {
        let mine = Result { try self.decide(envelope).events }.mapError { "\($0)" }
        let theirs = Result { try other.decide(envelope).events }.mapError { "\($0)" }
        switch (mine, theirs) {
        case let (.success(a), .success(b)): return a == b
        case let (.failure(a), .failure(b)): return a == b
        default: return false
        }
    }
}

extension String: @retroactive Error {}
