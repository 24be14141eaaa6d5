import EventLog
import Events
import Foundation
import Marketplace
import Synchronization
import Testing
import Workload

/// A state store that can lose saves (as a crash between the log's append and the state's write-behind
/// does) or fail them.
final class FaultyStateStore: DecisionStateStore {
    enum Mode { case normal, dropSaves, failSaves }
    let inner = InMemoryDecisionStateStore()
    private let mode = Mutex(Mode.normal)
    private let loads = Atomic<Int>(0)

    func set(_ newMode: Mode) { mode.withLock { $0 = newMode } }
    var loadCount: Int { loads.load(ordering: .relaxed) }

    func checkpoint() throws(MarketplaceError) -> UInt64 { try inner.checkpoint() }

    func load(_ key: String) throws(MarketplaceError) -> [UInt8]? {
        loads.add(1, ordering: .relaxed)
        return try inner.load(key)
    }

    func save(_ rows: [(key: String, value: [UInt8]?)], checkpoint: UInt64) throws(MarketplaceError) {
        switch mode.withLock({ $0 }) {
        case .normal: try inner.save(rows, checkpoint: checkpoint)
        case .dropSaves: return
        case .failSaves: throw .state("disk full (test)")
        }
    }

    func reset() throws(MarketplaceError) { try inner.reset() }
}

@Suite struct DecisionStateTests {
    /// A workload's first commands, run through `market` in batches.
    static func runWorkload(_ market: Marketplace, seed: UInt64 = 3, events: Int = 3_000) throws -> [CommandEnvelope] {
        var generator = WorkloadGenerator(seed: seed, targetEvents: events)
        var all: [CommandEnvelope] = []
        while let batch = generator.nextBatch(maxCommands: 200) {
            let results = try market.executeBatch(batch)
            for result in results { _ = try result.get() }
            all += batch
        }
        return all
    }

    /// Probes that read users, addresses, invitations, teams and command ids created by the workload.
    static func probes(_ commands: [CommandEnvelope]) -> [CommandEnvelope] {
        var probes: [CommandEnvelope] = []
        for envelope in commands.prefix(400) {
            // Replaying a command with its id must be a duplicate, never decided again.
            probes.append(envelope)
            switch envelope.command {
            case .registerAccount(let c):
                probes.append(CommandEnvelope(actor: "zz", .registerAccount(RegisterAccount(userId: c.userId ?? "zz", role: .buyer, name: "Again", email: c.email))))
                probes.append(CommandEnvelope(actor: c.userId ?? "zz", .inviteProviders(InviteProviders(emails: [c.email], invitationIds: ["probe"], tokens: ["k"]))))
            case .createTeam(let c):
                probes.append(CommandEnvelope(actor: envelope.actor, .inviteToTeam(InviteToTeam(teamId: c.teamId ?? "none", userId: envelope.actor))))
            default:
                break
            }
        }
        // Every generated id given, so that two marketplaces decide byte-identical events.
        let ids = countingIds(prefix: "probe")
        return probes.map { probe in
            var filled = probe
            filled.command = probe.command.fillingIds(ids)
            return filled
        }
    }

    static func expectSameDecisions(_ a: Marketplace, _ b: Marketplace, _ probes: [CommandEnvelope],
                                    sourceLocation: SourceLocation = #_sourceLocation) {
        var differing = 0
        for probe in probes where !a.decidesLike(b, probe) { differing += 1 }
        #expect(differing == 0, "\(differing) of \(probes.count) probes decided differently", sourceLocation: sourceLocation)
    }

    @Test func aCrashBetweenTheLogAppendAndTheStateWriteCatchesUpAndDecidesTheSame() throws {
        let log = InMemoryEventStore()
        let stateStore = FaultyStateStore()
        let options = Marketplace.Options(checkpointEveryEvents: 500)
        let first = try Marketplace(store: log, stateStore: stateStore, options: options)
        var generator = WorkloadGenerator(seed: 5, targetEvents: 4_000)
        var commands: [CommandEnvelope] = []
        var batches = 0
        while let batch = generator.nextBatch(maxCommands: 200) {
            // Halfway, the state's writes stop reaching the store: the process "crashed" after appending.
            batches += 1
            if batches == 8 { try first.checkpoint(); stateStore.set(.dropSaves) }
            for result in try first.executeBatch(batch) { _ = try result.get() }
            commands += batch
        }
        try first.checkpoint()
        let saved = try stateStore.checkpoint()
        let head = try log.head().position
        #expect(saved > 0 && saved < head)
        // A fresh process over the same (older) saved state catches up from the log and decides the same.
        stateStore.set(.normal)
        let fresh = try Marketplace(store: log, stateStore: stateStore)
        let rebuilt = try Marketplace(store: log)
        let probes = Self.probes(commands)
        Self.expectSameDecisions(fresh, first, probes)
        Self.expectSameDecisions(fresh, rebuilt, probes)
        #expect(fresh.position == head)
        #expect(stateStore.loadCount > 0, "a fresh process over saved rows must read them back")
    }

    @Test func theInMemoryStateNeverCallsSomethingThatExistsAbsent() throws {
        // Saved rows exist before this process: its empty caches are not the whole state, so misses are
        // read through (the users, addresses and command ids below were all created by another process).
        let log = InMemoryEventStore()
        let stateStore = FaultyStateStore()
        let writer = try Marketplace(store: log, stateStore: stateStore)
        let commands = try Self.runWorkload(writer)
        try writer.checkpoint()
        let fresh = try Marketplace(store: log, stateStore: stateStore)
        let loadsBefore = stateStore.loadCount
        let rebuilt = try Marketplace(store: log)
        Self.expectSameDecisions(fresh, rebuilt, Self.probes(commands))
        #expect(stateStore.loadCount > loadsBefore)
        // A session that started from an empty store never asks it about its own ids.
        #expect(loadsBefore == 0)
    }

    @Test func evictingTheCacheFallsBackToReadingThrough() throws {
        let log = InMemoryEventStore()
        let stateStore = FaultyStateStore()
        let small = try Marketplace(store: log, stateStore: stateStore,
                                    options: Marketplace.Options(checkpointEveryEvents: 300, maxCachedRecords: 50))
        let commands = try Self.runWorkload(small)
        #expect(stateStore.loadCount > 0, "after an eviction, misses must be read from the store")
        Self.expectSameDecisions(small, try Marketplace(store: log), Self.probes(commands))
    }

    @Test func aConflictUndoesOnlyTheUnsavedChangesAndDecidesAsARebuild() throws {
        let log = InMemoryEventStore()
        let first = try Marketplace(store: log, options: Marketplace.Options(checkpointEveryEvents: 1_000_000))
        let commands = try Self.runWorkload(first, events: 1_500)
        let second = try Marketplace(store: log)
        // Both decide on the same team; the second commits first, so the first's prediction fails.
        let team = CommandEnvelope(actor: "u-race", .registerAccount(RegisterAccount(userId: "u-race", role: .buyer, name: "R", email: "race@example.com")))
        _ = try second.execute(team)
        let results = try first.executeBatch([
            CommandEnvelope(actor: "u-race2", .registerAccount(RegisterAccount(userId: "u-race2", role: .buyer, name: "R2", email: "race2@example.com"))),
        ])
        _ = try results[0].get()
        Self.expectSameDecisions(first, try Marketplace(store: log), Self.probes(commands) + [team])
    }

    @Test func aFailedBackgroundWriteIsReportedAndTheStateRecovers() throws {
        let log = InMemoryEventStore()
        let stateStore = FaultyStateStore()
        let market = try Marketplace(store: log, stateStore: stateStore, options: Marketplace.Options(checkpointEveryEvents: 200))
        var generator = WorkloadGenerator(seed: 9, targetEvents: 3_000)
        var commands: [CommandEnvelope] = []
        var failures = 0
        var batches = 0
        while let batch = generator.nextBatch(maxCommands: 100) {
            batches += 1
            stateStore.set(batches >= 5 && batches < 8 ? .failSaves : .normal)
            do {
                // Commands that refer to what a failed batch created are rejected: that is fine here.
                _ = try market.executeBatch(batch)
                commands += batch
            } catch {
                // The log has what was appended; this batch may or may not have been appended: skip it.
                #expect(Self.isStateError(error))
                failures += 1
            }
        }
        stateStore.set(.normal)
        do { try market.checkpoint() } catch { #expect(Self.isStateError(error)); failures += 1 }
        try market.checkpoint()
        #expect(failures > 0)
        Self.expectSameDecisions(market, try Marketplace(store: log), Self.probes(commands))
        let reopened = try Marketplace(store: log, stateStore: stateStore)
        Self.expectSameDecisions(reopened, try Marketplace(store: log), Self.probes(commands))
    }

    static func isStateError(_ error: any Error) -> Bool {
        guard let error = error as? MarketplaceError, case .state = error else { return false }
        return true
    }

    @Test(arguments: [
        ("A.Person@Example.COM", "a.person@example.com"), (" x@y.co ", "x@y.co"), ("a..b@c.de", "a..b@c.de"),
        ("o'neil+tag@mail-1.example.org", "o'neil+tag@mail-1.example.org"),
    ])
    func addressesAreNormalized(raw: String, normalized: String) throws {
        let s = try Scenario(Cast.everyone)
        try s.expectEvents(Cast.buyer, .inviteProviders(InviteProviders(emails: [raw], invitationIds: ["i1"], tokens: ["k1"])), [
            .providerInvited(ProviderInvited(email: normalized, invitationId: "i1", invitedBy: Cast.buyer, token: "i1.k1")),
        ])
    }

    @Test(arguments: ["a@b", "a@.b.c", "a@b.c.", "a@b..c", "@b.c", "a@", "a@@b.c", "a b@c.d", "é@x.com", "a@x_y.com",
                      String(repeating: "l", count: 65) + "@x.com", "a@" + String(repeating: "d", count: 250) + ".com"])
    func badAddressesAreRejected(raw: String) throws {
        let s = try Scenario(Cast.everyone)
        s.expectRejection(Cast.buyer, .inviteProviders(InviteProviders(emails: [raw], invitationIds: ["i1"], tokens: ["k1"])), .invalidInput)
    }
}
