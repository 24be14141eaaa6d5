import Foundation
import Testing
@testable import EventLog

/// The log's promises, checked once and run against every implementation of `EventStore`.
enum StoreKind: String, CaseIterable, CustomTestStringConvertible {
    case inMemory, file
    var testDescription: String { rawValue }
}

final class StoreUnderTest {
    let directory = TemporaryDirectory()
    let store: any EventStore

    init(_ kind: StoreKind) throws {
        switch kind {
        case .inMemory: store = InMemoryEventStore()
        case .file: store = try EventLog.open(directory: directory.store, options: EventLogOptions(durability: .osBuffered))
        }
    }
}

@Suite struct EventStoreContractTests {
    @Test(arguments: StoreKind.allCases)
    func positionsAreDenseAndVersionsCountPerStream(kind: StoreKind) throws {
        let sut = try StoreUnderTest(kind)
        let first = try sut.store.append(commit([event("a"), event("b"), event("a")]))
        let second = try sut.store.append(commit([event("b")]))
        #expect(first.positions == 1...3)
        #expect(first.streamVersions == ["a": 2, "b": 1])
        #expect(second.positions == 4...4)
        #expect(second.streamVersions == ["b": 2])
        let all = try sut.store.events(from: 1).collect()
        #expect(all.map(\.position) == [1, 2, 3, 4])
        #expect(all.map(\.streamVersion) == [1, 1, 2, 2])
        #expect(all.map(\.commitPosition) == [1, 1, 1, 4])
        #expect(try sut.store.head().position == 4)
        #expect(try sut.store.head().commits == 2)
        #expect(try sut.store.streamVersion("a") == 2)
        #expect(try sut.store.streamVersion("nothing") == 0)
    }

    @Test(arguments: StoreKind.allCases)
    func envelopeCarriesEverything(kind: StoreKind) throws {
        let sut = try StoreUnderTest(kind)
        var proposed = commit([event("user-1", "UserRegistered", "hello")], id: "cmd-1", actor: "u-9")
        proposed.correlationId = "corr-7"
        _ = try sut.store.append(proposed)
        let recorded = try #require(try sut.store.events(from: 1).collect().first)
        #expect(recorded.stream == "user-1")
        #expect(recorded.type == "UserRegistered")
        #expect(recorded.schemaVersion == 1)
        #expect(recorded.commandId == "cmd-1")
        #expect(recorded.correlationId == "corr-7")
        #expect(recorded.actor == "u-9")
        #expect(recorded.payload == Array("{\"text\":\"hello\"}".utf8))
        #expect(abs(recorded.recordedAt.timeIntervalSinceNow) < 60)
        #expect(recorded.eventId != (try sut.store.events(from: 1).collect().first.map { $0.storeId.eventId(at: 2) }))
    }

    @Test(arguments: StoreKind.allCases)
    func expectedVersionConflictNamesStreamAndVersionsAndWritesNothing(kind: StoreKind) throws {
        let sut = try StoreUnderTest(kind)
        _ = try sut.store.append(commit([event("job-1")], expect: ["job-1": .noStream]))
        let before = try sut.store.head()
        #expect(throws: EventLogError.conflict(stream: "job-1", expected: .noStream, actual: 1)) {
            try sut.store.append(commit([event("job-1")], expect: ["job-1": .noStream]))
        }
        #expect(throws: EventLogError.conflict(stream: "job-1", expected: .exactly(3), actual: 1)) {
            try sut.store.append(commit([event("job-1"), event("other")], expect: ["job-1": .exactly(3)]))
        }
        #expect(throws: EventLogError.conflict(stream: "ghost", expected: .streamExists, actual: 0)) {
            try sut.store.append(commit([event("ghost")], expect: ["ghost": .streamExists]))
        }
        #expect(try sut.store.head() == before)
        #expect(try sut.store.streamVersion("other") == 0)
        let ok = try sut.store.append(commit([event("job-1")], expect: ["job-1": .exactly(1)]))
        #expect(ok.streamVersions["job-1"] == 2)
    }

    @Test(arguments: StoreKind.allCases)
    func conflictMessageSaysWhatToDo(kind: StoreKind) throws {
        let sut = try StoreUnderTest(kind)
        for _ in 0..<4 { _ = try sut.store.append(commit([event("job-1")])) }
        do {
            _ = try sut.store.append(commit([event("job-1")], expect: ["job-1": .noStream]))
            Issue.record("a commit that expects no stream was appended to a stream at version 4")
        } catch {
            #expect(error == .conflict(stream: "job-1", expected: .noStream, actual: 4))
            #expect(error.description.contains("job-1"))
            #expect(error.description.contains("version 4"))
            #expect(error.description.contains("decide again"))
        }
    }

    /// The chunked read (what projections read) is the same read as the cursor, from memory as from files.
    @Test(arguments: StoreKind.allCases)
    func chunkedReadIsTheSameReadAsTheCursor(kind: StoreKind) throws {
        let sut = try StoreUnderTest(kind)
        for n in 0..<40 {
            let events = (0...(n % 3)).map { i in event("s-\((n + i) % 4)", n % 2 == 0 ? "Even" : "Odd", "\(n)-\(i)") }
            _ = try sut.store.append(commit(events, id: "c-\(n)", actor: "a\(n % 5)"))
        }
        let head = try sut.store.head().position
        let filters: [(UInt64, EventFilter)] = [
            (1, .all), (head / 2, .all), (head, .all), (head + 3, .all),
            (1, EventFilter(streams: ["s-1"])), (5, EventFilter(types: ["Odd"])), (1, EventFilter(actors: ["a0"])),
            (3, EventFilter(untilPosition: head / 2)),
        ]
        for (from, filter) in filters {
            let cursor = try sut.store.events(from: from, filter: filter).collect()
            for targetBytes in [1, 300, 1 << 20] {
                let chunked = ChunkReadTests.chunked(try sut.store.readChunks(from: from, filter: filter), targetBytes: targetBytes)
                #expect(chunked.error == nil)
                #expect(chunked.events == cursor, "from \(from), \(filter), chunks of \(targetBytes) bytes")
            }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func repeatedCommandIdReturnsFirstResultAndAppendsNothing(kind: StoreKind) throws {
        let sut = try StoreUnderTest(kind)
        let first = try sut.store.append(commit([event("a"), event("b")], id: "invite-42"))
        _ = try sut.store.append(commit([event("c")]))
        let again = try sut.store.append(commit([event("a"), event("b")], id: "invite-42"))
        #expect(again.isDuplicate)
        #expect(again.positions == first.positions)
        #expect(again.streamVersions == first.streamVersions)
        #expect(try sut.store.head().position == 3)
        // A repeat inside one batch is also applied once.
        let batch = try sut.store.appendBatch([commit([event("d")], id: "x"), commit([event("d")], id: "x")])
        let results = batch.map { try? $0.get() }
        #expect(results[0]?.isDuplicate == false)
        #expect(results[1]?.isDuplicate == true)
        #expect(results[0]?.positions == results[1]?.positions)
        #expect(try sut.store.head().position == 4)
    }

    @Test(arguments: StoreKind.allCases)
    func batchAppliesEachCommitOnItsOwn(kind: StoreKind) throws {
        let sut = try StoreUnderTest(kind)
        let results = try sut.store.appendBatch([
            commit([event("s")], expect: ["s": .noStream]),
            commit([event("s")], expect: ["s": .noStream]),   // conflicts with the first
            commit([event("s")], expect: ["s": .exactly(1)]),
            commit([]),                                         // invalid
        ])
        #expect((try? results[0].get())?.positions == 1...1)
        #expect(throws: EventLogError.conflict(stream: "s", expected: .noStream, actual: 1)) { try results[1].get() }
        #expect((try? results[2].get())?.positions == 2...2)
        #expect(throws: EventLogError.self) { try results[3].get() }
        #expect(try sut.store.head().position == 2)
    }

    @Test(arguments: StoreKind.allCases)
    func invalidCommitsAreRejected(kind: StoreKind) throws {
        let sut = try StoreUnderTest(kind)
        #expect(throws: EventLogError.self) { try sut.store.append(commit([])) }
        #expect(throws: EventLogError.self) { try sut.store.append(commit([event("")])) }
        #expect(throws: EventLogError.self) { try sut.store.append(commit([event("s")], actor: "")) }
        #expect(throws: EventLogError.self) {
            try sut.store.append(commit([event(String(repeating: "x", count: 5_000))]))
        }
        #expect(try sut.store.head() == .empty)
    }

    @Test(arguments: StoreKind.allCases)
    func readsFilterByPositionStreamTypeActorAndTime(kind: StoreKind) throws {
        let sut = try StoreUnderTest(kind)
        for n in 0..<30 {
            _ = try sut.store.append(commit([event("s-\(n % 3)", n % 2 == 0 ? "Even" : "Odd", "\(n)")], actor: "a\(n % 5)"))
        }
        #expect(try sut.store.events(from: 25).collect().map(\.position) == [25, 26, 27, 28, 29, 30])
        #expect(try sut.store.events(from: 1, filter: EventFilter(streams: ["s-1"])).collect().count == 10)
        #expect(try sut.store.events(from: 1, filter: EventFilter(types: ["Odd"])).collect().allSatisfy { $0.type == "Odd" })
        #expect(try sut.store.events(from: 1, filter: EventFilter(actors: ["a0"])).collect().map(\.position) == [1, 6, 11, 16, 21, 26])
        #expect(try sut.store.events(from: 1, filter: EventFilter(untilPosition: 4)).collect().count == 4)
        let all = try sut.store.events(from: 1).collect()
        let cut = all[9].recordedAtMicros
        let until = try sut.store.events(from: 1, filter: EventFilter(untilMicros: cut)).collect()
        #expect(until.allSatisfy { $0.recordedAtMicros <= cut })
        #expect(until.count == all.filter { $0.recordedAtMicros <= cut }.count)
        let since = try sut.store.events(from: 1, filter: EventFilter(sinceMicros: cut)).collect()
        #expect(since.count == all.filter { $0.recordedAtMicros >= cut }.count)
        #expect(zip(all, all.dropFirst()).allSatisfy { $0.recordedAtMicros <= $1.recordedAtMicros })
    }

    @Test(arguments: StoreKind.allCases)
    func headHashChainsEveryCommit(kind: StoreKind) throws {
        let sut = try StoreUnderTest(kind)
        #expect(try sut.store.head().hash == [UInt8](repeating: 0, count: 32))
        _ = try sut.store.append(commit([event("a")]))
        let h1 = try sut.store.head().hash
        _ = try sut.store.append(commit([event("a")]))
        let h2 = try sut.store.head().hash
        #expect(h1 != h2)
        #expect(h1.count == 32)
    }
}
