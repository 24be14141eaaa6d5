import Foundation
import Testing
@testable import EventLog

/// `scan` and `scanInParallel` hand out borrowed views of the same read as `read`: same events (copied
/// with `recordedEvent()`), same order, same end, same errors.
@Suite struct ScanTests {
    /// The events a scan hands out, copied, and the error that ended it (nil: the end of the read).
    static func scanned(_ scan: ((EventView) throws -> Void) throws -> Void) -> (events: [RecordedEvent], error: (any Error)?) {
        eventsUntilError { events in try scan { events.append($0.recordedEvent()) } }
    }

    @Test func bothScansGiveTheSameEventsAsTheSerialRead() throws {
        let dir = TemporaryDirectory()
        let (log, _, reads) = try ParallelReadTests.serialReads(dir)
        for (name, from, filter, read) in reads {
            expectRead(Self.scanned { try log.read(from: from, filter: filter).scan($0) }, equals: read, "\(name), serial scan")
            // Tiny chunks: chunk and segment boundaries everywhere.
            for chunkBytes in [1, 700, RecordChunk.targetBytes] {
                expectRead(Self.scanned { try log.scanInParallel(from: from, filter: filter, chunkBytes: chunkBytes, $0) }, equals: read,
                           "\(name), parallel scan, chunks of \(chunkBytes) bytes")
            }
        }
    }

    @Test func theViewsFieldsAreTheEventsFields() throws {
        let dir = TemporaryDirectory()
        _ = try ParallelReadTests.store(dir)
        let log = try EventLog.open(directory: dir.store, options: .readOnly)
        let read = try log.read().collect()
        var index = 0
        try log.scanInParallel { view in
            let event = read[index]
            index += 1
            #expect(view.position == event.position)
            #expect(view.stream == event.stream)
            #expect(Array(view.streamBytes) == Array(event.stream.utf8))
            #expect(view.streamVersion == event.streamVersion)
            #expect(view.type == event.type)
            #expect(view.schemaVersion == event.schemaVersion)
            #expect(view.recordedAtMicros == event.recordedAtMicros)
            #expect(view.commandId == event.commandId)
            #expect(view.correlationId == event.correlationId)
            #expect(view.actor == event.actor)
            #expect(view.commitPosition == event.commitPosition)
            #expect(Array(view.payload) == event.payload)
            #expect(view.eventId == event.eventId)
        }
        #expect(index == read.count)
        #expect(read.contains { $0.commandId == nil } && read.contains { $0.commandId != nil })
    }

    @Test func aScanContinuesWhereNextStopped() throws {
        let dir = TemporaryDirectory()
        _ = try ParallelReadTests.store(dir)
        let log = try EventLog.open(directory: dir.store, options: .readOnly)
        let read = try log.read().collect()
        let cursor = try log.read()
        // Stop inside a multi-event commit: the scan starts with the rest of it.
        let firstCommitOfFour = try #require(read.firstIndex { $0.commitPosition != $0.position })
        var taken: [RecordedEvent] = []
        while taken.count <= firstCommitOfFour, let event = try cursor.next() { taken.append(event) }
        let rest = Self.scanned { try cursor.scan($0) }
        #expect(rest.error == nil)
        #expect(taken + rest.events == read)
    }

    @Test func damageEndsBothScansAfterTheSameEventsAsTheSerialRead() throws {
        let dir = TemporaryDirectory()
        let victim = try ParallelReadTests.damagedStore(dir)
        let log = try EventLog.open(directory: dir.store, options: .readOnly)
        let (read, readError) = ParallelReadTests.readUntilError(try log.read())
        guard case .corrupt(let location, _) = try #require(readError) else { Issue.record("not damage"); return }
        #expect(location.segment == victim)
        let serial = Self.scanned { try log.read().scan($0) }
        let parallels = [1, 2_000, RecordChunk.targetBytes].map { chunkBytes in
            Self.scanned { try log.scanInParallel(from: 1, filter: .all, chunkBytes: chunkBytes, $0) }
        }
        for scan in [serial] + parallels {
            #expect(scan.events == read)
            #expect(scan.error as? EventLogError == readError)
        }
    }

    @Test func repeatedLongAndCollidingNamesReadBackExactly() throws {
        // Types and actors are decoded through a small cache: names longer than it keeps, and more
        // names than it has slots (so that they collide), must still read back as written.
        let dir = TemporaryDirectory()
        let log = try EventLog.open(directory: dir.store, options: EventLogOptions(durability: .osBuffered))
        var written: [(type: String, actor: String)] = []
        for n in 0..<900 {
            let type = n % 3 == 0 ? "Type\(n % 300)" : "AVeryLongEventTypeNameThatIsLongerThanSixtyFourBytesOfUTF8-\(n % 5)-ééé"
            let actor = n % 2 == 0 ? "u-\(n % 257)" : "u-\(n % 257)-" + String(repeating: "x", count: n % 80)
            written.append((type, actor))
            _ = try log.append(ProposedCommit(events: [ProposedEvent(stream: "s-\(n)", type: type, payload: samplePayload(n))], actor: actor))
        }
        let read = try log.read().collect()
        let serial = Self.scanned { try log.read().scan($0) }.events
        let parallel = Self.scanned { try log.scanInParallel(chunkBytes: 300, $0) }.events
        log.close()
        #expect(read.map(\.type) == written.map(\.type))
        #expect(read.map(\.actor) == written.map(\.actor))
        #expect(serial == read)
        #expect(parallel == read)
    }

    /// Bounded memory (DESIGN.md §2.10): however slow the caller, the parallel scan's reader stops
    /// `RecordChunk.maxAhead` chunks ahead of it.
    @Test func theParallelScansReadAheadIsBounded() throws {
        let dir = TemporaryDirectory()
        let (head, _, _) = try ParallelReadTests.store(dir)
        let log = try EventLog.open(directory: dir.store, options: .readOnly)
        let queue = ParallelScan.ChunkQueue(maxChunksAhead: RecordChunk.maxAhead)
        var count = 0
        var mostWaiting = 0
        try ParallelScan.run(try log.read(), from: 1, filter: .all, storeId: log.storeId, chunkBytes: 64, queue: queue) { _ in
            if count == 0 {
                // A slow caller: the reader fills the queue up to the bound, and no further.
                var waited = 0
                while queue.waiting < RecordChunk.maxAhead, waited < 500 {
                    usleep(10_000)
                    waited += 1
                }
                usleep(100_000)
            }
            mostWaiting = max(mostWaiting, queue.waiting)
            count += 1
        }
        #expect(mostWaiting == RecordChunk.maxAhead, "the reader reads ahead, up to the bound and no further")
        #expect(UInt64(count) == head)
    }

    /// One writer, many readers (DESIGN.md §2.2, §2.9): scans and chunked reads beside a writer see only
    /// whole commits, with dense positions.
    @Test func readsBesideAWriterSeeOnlyWholeCommitsInOrder() throws {
        try ParallelReadTests.readBesideAWriter(rounds: 30) { reader, round in
            switch round % 3 {
            case 0: Self.scanned { try reader.read().scan($0) }.events
            case 1: Self.scanned { try reader.scanInParallel(chunkBytes: 512, $0) }.events
            default: ChunkReadTests.chunked(try reader.readChunks(), targetBytes: 512).events
            }
        }
    }

    struct Stop: Error {}

    @Test func anErrorThrownByTheCallerEndsTheScanAndIsRethrown() throws {
        let dir = TemporaryDirectory()
        _ = try ParallelReadTests.store(dir)
        let log = try EventLog.open(directory: dir.store, options: .readOnly)
        for parallel in [false, true] {
            var seen = 0
            let scan = Self.scanned { body in
                let stopAt100: (EventView) throws -> Void = { view in
                    seen += 1
                    if view.position == 100 { throw Stop() }
                    try body(view)
                }
                if parallel { try log.scanInParallel(chunkBytes: 1, stopAt100) } else { try log.read().scan(stopAt100) }
            }
            #expect(scan.error is Stop, "parallel: \(parallel)")
            #expect(seen == 100, "parallel: \(parallel)")
            #expect(scan.events.map(\.position) == Array(1...99), "parallel: \(parallel)")
        }
    }

    @Test func aParallelScanStoppedHalfwayStopsItsReader() throws {
        let dir = TemporaryDirectory()
        _ = try ParallelReadTests.store(dir)
        let log = try EventLog.open(directory: dir.store, options: .readOnly)
        for _ in 0..<50 {
            // Tiny chunks: the reader is blocked on a full queue when the caller stops.
            var seen = 0
            #expect(throws: Stop.self) {
                try log.scanInParallel(chunkBytes: 64) { _ in
                    seen += 1
                    if seen == 10 { throw Stop() }
                }
            }
        }
        var threads = Int.max
        for _ in 0..<100 where threads >= 40 {
            threads = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/task").count
            if threads >= 40 { Thread.sleep(forTimeInterval: 0.02) }
        }
        #expect(threads < 40, "\(threads) threads still running after the scans stopped")
    }
}

extension EventLog {
    /// The parallel scan from the start with a given chunk size (tests).
    func scanInParallel(chunkBytes: Int, _ body: (EventView) throws -> Void) throws {
        try scanInParallel(from: 1, filter: .all, chunkBytes: chunkBytes, body)
    }
}
