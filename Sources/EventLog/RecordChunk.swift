import Foundation

/// Whole commit records copied out of a segment, to be decoded or walked on another thread.
struct RecordChunk: Sendable {
    var bytes: [UInt8] = []
    /// The segment the records come from (named by errors).
    var segment = ""
}

/// Where a background reader puts the chunks it fills, in log order.
protocol ChunkSink: AnyObject, Sendable {
    /// Waits until there is room, then returns a chunk to fill; nil once the read is cancelled.
    func waitForRoom() -> RecordChunk?
    func add(_ chunk: RecordChunk)
    /// No more chunks: the read ended (nil) or failed.
    func finish(with error: EventLogError?)
}

extension RecordChunk {
    /// Starts a thread that reads `cursor` into chunks of about `chunkBytes` of whole commits for `sink`,
    /// until the end of the read, an error (after the chunk of whole commits before it) or cancellation.
    /// The thread owns the cursor from then on.
    static func startReading(_ cursor: LogCursor, into sink: some ChunkSink, chunkBytes: Int) {
        let reader = SendableBox(cursor)
        Thread.detachNewThread {
            while var chunk = sink.waitForRoom() {
                do throws(EventLogError) {
                    guard try reader.value.nextChunk(into: &chunk, targetBytes: chunkBytes) else { break }
                    sink.add(chunk)
                } catch {
                    // The whole commits read before the damage still come first, as in a serial read.
                    if !chunk.bytes.isEmpty { sink.add(chunk) }
                    sink.finish(with: error)
                    return
                }
            }
            sink.finish(with: nil)
        }
    }

    /// Calls `body` with each of the chunk's whole commit records (checked by the reader), in order,
    /// until it returns false.
    func forEachRecord(_ body: (SegmentReader.Record) throws -> Bool) throws {
        try bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset + 4 <= raw.count {
                let size = Int(raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self).littleEndian) + 4
                guard size <= raw.count - offset else {
                    throw EventLogError.corrupt(LogLocation(segment: segment, fileOffset: 0, position: 0),
                                                reason: "a commit record is cut short")
                }
                let record = SegmentReader.Record(bytes: UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + size)]),
                                                  firstPosition: CommitRecordReader.firstPosition(in: raw, at: offset),
                                                  eventCount: Int(CommitRecordReader.eventCount(in: raw, at: offset)))
                offset += size
                guard try body(record) else { return }
            }
        }
    }
}
