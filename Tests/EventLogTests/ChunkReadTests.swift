import Foundation
import Testing
@testable import EventLog

/// `readChunks` is the same read as `read`, in indexed chunks: same events, order, end and errors.
@Suite struct ChunkReadTests {
    /// Every event of every chunk, copied, with its type by id; and the error that ended the read.
    static func chunked(_ reader: EventChunkReader, targetBytes: Int) -> (events: [RecordedEvent], error: EventLogError?) {
        eventsUntilError { (events: inout [RecordedEvent]) throws(EventLogError) in
            while let chunk = try reader.next(targetBytes: targetBytes) {
                #expect(chunk.count > 0)
                for index in 0..<chunk.count {
                    let event = chunk.event(at: index)
                    #expect(chunk.typeNames[chunk.typeId(at: index)] == event.type)
                    #expect(chunk.position(at: index) == event.position)
                    events.append(event)
                }
                #expect(chunk.last?.position == events.last?.position)
                #expect(chunk.last?.recordedAtMicros == events.last?.recordedAtMicros)
            }
        }
    }

    @Test func chunksHoldTheSameEventsAsTheSerialRead() throws {
        let dir = TemporaryDirectory()
        let (log, _, reads) = try ParallelReadTests.serialReads(dir)
        for (name, from, filter, read) in reads {
            for targetBytes in [1, 700, 64 << 10] {
                expectRead(Self.chunked(try log.readChunks(from: from, filter: filter), targetBytes: targetBytes), equals: read,
                           "\(name), chunks of \(targetBytes) bytes")
            }
        }
    }

    @Test func damageEndsTheReadAfterTheSameEventsWithTheSameError() throws {
        let dir = TemporaryDirectory()
        _ = try ParallelReadTests.damagedStore(dir)
        let log = try EventLog.open(directory: dir.store, options: .readOnly)
        let (read, readError) = ParallelReadTests.readUntilError(try log.read())
        #expect(readError != nil)
        for targetBytes in [1, 2_000, 64 << 10] {
            let chunked = Self.chunked(try log.readChunks(), targetBytes: targetBytes)
            #expect(chunked.events == read, "chunks of \(targetBytes) bytes")
            #expect(chunked.error == readError, "chunks of \(targetBytes) bytes")
        }
    }
}
