import Foundation

/// Whole commit records copied out of a segment, to be decoded or walked on another thread.
struct RecordChunk: Sendable {
    /// About how many bytes of records a chunk of a background read holds.
    static let targetBytes = 256 << 10
    /// How many chunks a background reader may read ahead of their consumer (memory stays flat).
    static let maxAhead = 8

    var bytes: [UInt8] = []
    /// The segment the records come from (named by errors).
    var segment = ""
}

/// What fills `RecordChunk`s with whole commit records, in log order: a cursor over the segments
/// (`LogCursor`), or the records an `InMemoryEventStore` holds. `EventChunkReader` reads either the same way.
protocol CommitRecordSource: AnyObject {
    /// Replaces `chunk`'s bytes with the next whole records, about `targetBytes` of them; false at the end.
    func nextChunk(into chunk: inout RecordChunk, targetBytes: Int) throws(EventLogError) -> Bool
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

    /// Calls `body` with each of the chunk's whole commit records (checked by the reader) and its offset
    /// in `bytes`, in order, until it returns false.
    func forEachRecord(_ body: (SegmentReader.Record, Int) throws -> Bool) throws {
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
                guard try body(record, offset) else { return }
                offset += size
            }
        }
    }

    /// Calls `body` with each event of the chunk that a read from `from` with `filter` selects, borrowed,
    /// with its commit (for what is made once per commit) and the offset in `bytes` where its fields start.
    /// Returns true when the filter ended the read inside the chunk. The one walk of every chunked read
    /// (`ParallelLogCursor`, `scanInParallel`, `EventChunkReader`).
    func forEachSelectedEvent(from: UInt64, filter: EventFilter, storeId: StoreID, strings: inout StringCache,
                              _ body: (EventView, inout CommitInProgress, _ fieldsOffset: Int) throws -> Void) throws -> Bool {
        var ended = false
        try forEachRecord { record, recordOffset in
            var commit = try CommitInProgress(record: record, strings: &strings, segment: segment)
            while commit.remaining > 0 {
                let fieldsOffset = recordOffset + commit.nextEventOffset
                switch try commit.nextSelectedView(from: from, filter: filter, storeId: storeId, strings: &strings,
                                                   segment: segment) {
                case .event(let view): try body(view, &commit, fieldsOffset)
                case .skipped: continue
                case .exhausted:
                    ended = true
                    return false
                }
            }
            return true
        }
        return ended
    }
}
