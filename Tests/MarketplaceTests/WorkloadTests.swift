import EventLog
import Events
import Marketplace
import Testing
import Workload

@Suite struct WorkloadTests {
    @Test func theSameSeedGivesTheSameCommandsAndAnotherSeedOthers() {
        func commands(_ seed: UInt64) -> [CommandEnvelope] {
            var generator = WorkloadGenerator(seed: seed, targetEvents: 3_000)
            var all: [CommandEnvelope] = []
            while let batch = generator.nextBatch(maxCommands: 250) { all += batch }
            return all
        }
        let a = commands(7), b = commands(7), c = commands(8)
        #expect(a == b)
        #expect(a != c)
    }

    @Test func everyGeneratedCommandIsAcceptedAndTheHistoryCoversEveryWorkflow() throws {
        let store = InMemoryEventStore()
        let market = try Marketplace(store: store)
        let report = try WorkloadRunner.run(seed: 42, targetEvents: 30_000, into: market, batchSize: 500)
        #expect(report.rejected == 0, "\(report.rejectionsByCode)")
        #expect(report.conflicts == 0)
        var generator = WorkloadGenerator(seed: 42, targetEvents: 30_000)
        while generator.nextBatch(maxCommands: 500) != nil {}
        #expect(report.events == UInt64(generator.plannedEvents))
        #expect(try store.head().position == report.events)
        var types = Set<String>()
        let cursor = try store.events(from: 1)
        while let event = try cursor.next() { types.insert(event.type) }
        let expected = Set(EventCatalogue.entries.map(\.type))
        #expect(types == expected, "missing: \(expected.subtracting(types))")
    }
}
