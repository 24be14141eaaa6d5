import Foundation
import Testing
@testable import EventLog

/// `readInParallel` must be the same read as `read`: same events, same order, same end, same errors.
@Suite struct ParallelReadTests {
    /// A log of several segments with single- and multi-event commits, command ids and several actors.
    static func store(_ dir: TemporaryDirectory) throws -> (head: UInt64, firstMicros: Int64, lastMicros: Int64) {
        let log = try EventLog.open(directory: dir.store, options: EventLogOptions(durability: .osBuffered, segmentTargetBytes: 16 << 10))
        for n in 0..<600 {
            let events = (0..<(1 + n % 4)).map { k in
                ProposedEvent(stream: "stream-\((n + k) % 23)-with-a-longer-name", type: "Type\(k % 3)", payload: samplePayload(n * 4 + k))
            }
            _ = try log.append(ProposedCommit(events: events, commandId: n % 5 == 0 ? nil : "cmd-\(n)", actor: "u-\(n % 7)"))
        }
        let all = try log.read().collect()
        log.close()
        return (all.last?.position ?? 0, all.first?.recordedAtMicros ?? 0, all.last?.recordedAtMicros ?? 0)
    }

    static func filters(head: UInt64, firstMicros: Int64, lastMicros: Int64) -> [(String, UInt64, EventFilter)] {
        let middle = firstMicros + (lastMicros - firstMicros) / 2
        return [
            ("everything", 1, .all),
            ("from the middle", head / 2, .all),
            ("from the last position", head, .all),
            ("past the end", head + 5, .all),
            ("up to a position", 1, EventFilter(untilPosition: head / 3)),
            ("a window of positions", head / 4, EventFilter(untilPosition: head / 2 + 1)),
            ("two streams", 1, EventFilter(streams: ["stream-3-with-a-longer-name", "stream-17-with-a-longer-name"])),
            ("one type", 7, EventFilter(types: ["Type2"])),
            ("one actor up to a time", 1, EventFilter(actors: ["u-4"], untilMicros: middle)),
            ("since a time", 1, EventFilter(sinceMicros: middle)),
        ]
    }

    /// A read of `filters`: its name, where it starts, its filter, and the events the serial read gives.
    typealias SerialRead = (name: String, from: UInt64, filter: EventFilter, events: [RecordedEvent])

    /// The store of `store(_:)` opened read-only, its head, and each read of `filters` done serially:
    /// what the other ways of reading it must give.
    static func serialReads(_ dir: TemporaryDirectory) throws -> (log: EventLog, head: UInt64, reads: [SerialRead]) {
        let (head, firstMicros, lastMicros) = try store(dir)
        let log = try EventLog.open(directory: dir.store, options: .readOnly)
        let reads = try filters(head: head, firstMicros: firstMicros, lastMicros: lastMicros).map { name, from, filter in
            (name, from, filter, try log.read(from: from, filter: filter).collect())
        }
        return (log, head, reads)
    }

    @Test func theParallelReadGivesTheSameEventsAsTheSerialRead() throws {
        let dir = TemporaryDirectory()
        let (log, head, reads) = try Self.serialReads(dir)
        #expect(try log.verify().segments >= 4)
        for (name, from, filter, serial) in reads {
            // Tiny chunks: many chunks, chunk and segment boundaries everywhere, decoders out of step.
            for (decoders, chunkBytes) in [(1, 1), (2, 700), (3, 4_096), (2, RecordChunk.targetBytes)] {
                let parallel = try log.readInParallel(from: from, filter: filter, decoders: decoders, chunkBytes: chunkBytes).collect()
                #expect(parallel.map(\.position) == serial.map(\.position), "\(name), \(decoders) decoders, chunks of \(chunkBytes) bytes")
                #expect(parallel == serial, "\(name), \(decoders) decoders, chunks of \(chunkBytes) bytes")
            }
        }
        #expect(try log.readInParallel().collect().count == Int(head))
    }

    /// The store of `store(_:)` with one byte flipped in the middle of its third segment; returns that
    /// segment's name.
    static func damagedStore(_ dir: TemporaryDirectory) throws -> String {
        _ = try store(dir)
        let victim = segmentFiles(dir.store)[2]
        let path = dir.store + "/log/" + victim
        var bytes = fileBytes(path)
        bytes[bytes.count / 2] ^= 0x5A
        writeBytes(bytes, to: path)
        return victim
    }

    /// Every event `cursor` gives, and the error that ended the read (nil: its end).
    static func readUntilError(_ cursor: any EventCursor) -> (events: [RecordedEvent], error: EventLogError?) {
        eventsUntilError { (events: inout [RecordedEvent]) throws(EventLogError) in
            while let event = try cursor.next() { events.append(event) }
        }
    }

    @Test func damageIsReportedAfterTheSameEventsAsTheSerialRead() throws {
        let dir = TemporaryDirectory()
        let victim = try Self.damagedStore(dir)
        let log = try EventLog.open(directory: dir.store, options: .readOnly)
        let serial = Self.readUntilError(try log.read())
        let serialError = try #require(serial.error)
        guard case .corrupt(let location, _) = serialError else { Issue.record("not damage: \(serialError)"); return }
        #expect(location.segment == victim)
        for chunkBytes in [1, 2_000, RecordChunk.targetBytes] {
            let parallel = Self.readUntilError(try log.readInParallel(from: 1, filter: .all, decoders: 2, chunkBytes: chunkBytes))
            #expect(parallel.events.map(\.position) == serial.events.map(\.position), "chunks of \(chunkBytes) bytes")
            #expect(parallel.events == serial.events, "chunks of \(chunkBytes) bytes")
            #expect(parallel.error == serialError, "chunks of \(chunkBytes) bytes")
        }
    }

    @Test func aCursorDroppedHalfwayStopsItsThreads() throws {
        let dir = TemporaryDirectory()
        _ = try Self.store(dir)
        let log = try EventLog.open(directory: dir.store, options: .readOnly)
        for _ in 0..<50 {
            // The reader is blocked on a full pipeline when the cursor goes: it must not hang or leak.
            let cursor = try log.readInParallel(from: 1, filter: .all, decoders: 2, chunkBytes: 64)
            for _ in 0..<10 { _ = try cursor.next() }
        }
        let threads = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/task").count
        #expect(threads < 40, "\(threads) threads still running after the cursors were dropped")
    }

    /// Bounded memory (DESIGN.md §2.10): however slow the caller, the reader stops `maxChunksAhead`
    /// chunks ahead of it.
    @Test func theReadAheadIsBounded() throws {
        let dir = TemporaryDirectory()
        let (head, _, _) = try Self.store(dir)
        let log = try EventLog.open(directory: dir.store, options: .readOnly)
        let cursor = try log.readInParallel(from: 1, filter: .all, decoders: 2, chunkBytes: 64)
        _ = try cursor.next()
        var waited = 0
        while cursor.chunksAhead < RecordChunk.maxAhead, waited < 500 {
            usleep(10_000)
            waited += 1
        }
        usleep(100_000)
        #expect(cursor.chunksAhead == RecordChunk.maxAhead, "the reader reads ahead, up to the bound")
        var count = 1
        while try cursor.next() != nil {
            count += 1
            #expect(cursor.chunksAhead <= RecordChunk.maxAhead)
        }
        #expect(UInt64(count) == head)
    }

    @Test func aReadWhileAWriterAppendsSeesOnlyWholeCommitsInOrder() throws {
        try Self.readBesideAWriter(rounds: 20) { reader, _ in
            try reader.readInParallel(from: 1, filter: .all, decoders: 2, chunkBytes: 512).collect()
        }
    }

    /// Reads the log `rounds` times with `read` (given the reader and the round) while `startWriter`'s
    /// writer appends, and expects of each read what `expectWholeCommitsInOrder` does.
    static func readBesideAWriter(rounds: Int, _ read: (EventLog, Int) throws -> [RecordedEvent]) throws {
        let dir = TemporaryDirectory()
        let writer = try startWriter(dir)
        let reader = try EventLog.open(directory: dir.store, options: .readOnly)
        for round in 0..<rounds {
            expectWholeCommitsInOrder(try read(reader, round), "round \(round)")
        }
        writer.finished.wait()
        writer.log.close()
    }

    /// A writer appending 399 commits of three events on a thread of its own, after a first commit of one.
    static func startWriter(_ dir: TemporaryDirectory) throws -> (log: EventLog, finished: DispatchSemaphore) {
        let writer = try EventLog.open(directory: dir.store, options: EventLogOptions(durability: .osBuffered, segmentTargetBytes: 8 << 10))
        _ = try writer.append(ProposedCommit(events: [event("s-0")], actor: "w"))
        let finished = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            for n in 1..<400 {
                _ = try? writer.append(ProposedCommit(events: (0..<3).map { event("s-\(n)-\($0)") }, actor: "w"))
            }
            finished.signal()
        }
        return (writer, finished)
    }

    /// What a read beside `startWriter`'s writer may see: dense positions in order, and whole commits only.
    static func expectWholeCommitsInOrder(_ events: [RecordedEvent], _ note: String) {
        #expect(events.map(\.position) == Array(1...UInt64(events.count)), "positions dense and in order, \(note)")
        // Only whole commits: the last event read is its commit's last (commits after the first hold 3).
        if let last = events.last, last.position > 1 { #expect((last.position - 1) % 3 == 0, "\(note)") }
    }
}
