import Foundation

/// The same read as `LogCursor` (same events, same order, same errors), decoded on background threads:
/// one thread reads, decompresses and checks the segments and cuts them into chunks of whole commits;
/// `decoders` threads turn chunks into events in parallel; `next()` hands the events out in log order.
///
/// Memory stays flat: at most `RecordChunk.maxAhead` chunks (about 256 KiB of records each) are read ahead of
/// the caller. Dropping the cursor stops its threads. Meant for long reads (audits, exports, benchmarks);
/// for short ones, or when every core is already busy, `LogCursor` costs less.
public final class ParallelLogCursor: EventCursor {
    private let pipeline: Pipeline
    /// The chunk being handed out, and the index of its next event.
    private var current: DecodedChunk?
    private var nextIndex = 0
    private var ended = false

    init(_ cursor: LogCursor, from: UInt64, filter: EventFilter, storeId: StoreID, decoders: Int, chunkBytes: Int = RecordChunk.targetBytes) {
        pipeline = Pipeline(maxChunksAhead: RecordChunk.maxAhead)
        let pipeline = self.pipeline
        // The reader owns the serial cursor; each decoder has its own string cache.
        RecordChunk.startReading(cursor, into: pipeline, chunkBytes: chunkBytes)
        for _ in 0..<max(decoders, 1) {
            Thread.detachNewThread {
                var strings = StringCache()
                while let (sequence, chunk) = pipeline.takeChunkToDecode() {
                    let decoded = Self.decode(chunk, from: from, filter: filter, storeId: storeId, strings: &strings)
                    pipeline.complete(sequence, decoded, recycling: chunk)
                }
            }
        }
    }

    /// Chunks read but not yet handed to the caller (at most `RecordChunk.maxAhead`).
    var chunksAhead: Int { pipeline.unconsumed }

    deinit {
        pipeline.cancel()
        if let current { Self.release(current, from: nextIndex) }
    }

    public func next() throws(EventLogError) -> RecordedEvent? {
        while true {
            if let current {
                if nextIndex < current.events.count {
                    defer { nextIndex += 1 }
                    return (current.events.baseAddress! + nextIndex).move()
                }
                current.allocation.deallocate()
                self.current = nil
            }
            if ended { return nil }
            guard let decoded = try pipeline.takeDecoded() else {
                ended = true
                return nil
            }
            nextIndex = 0
            if decoded.endsTheRead {
                ended = true
                pipeline.cancel()
            }
            if let error = decoded.error {
                Self.release(decoded, from: 0)
                throw error
            }
            current = decoded
        }
    }

    /// Decodes a chunk's commits into events (those the read selects), stopping where the filter ends the read.
    static func decode(_ chunk: RecordChunk, from: UInt64, filter: EventFilter, storeId: StoreID,
                       strings: inout StringCache) -> DecodedChunk {
        chunk.bytes.withUnsafeBytes { raw in
            // Handed over as a buffer that the consumer moves events out of (no copy, no reference
            // counting per event); sized by the records' event counts.
            var capacity = 0
            do {
                try chunk.forEachRecord { record, _ in
                    capacity += record.eventCount
                    return true
                }
            } catch {}  // a record cut short: the walk below reports it
            let events = UnsafeMutableBufferPointer<RecordedEvent>.allocate(capacity: capacity)
            var count = 0
            var endsTheRead = false
            var failure: EventLogError?
            do {
                endsTheRead = try chunk.forEachSelectedEvent(from: from, filter: filter, storeId: storeId, strings: &strings) {
                    view, commit, _ in
                    guard count < capacity else { return }
                    (events.baseAddress! + count).initialize(to: commit.ownedEvent(view))
                    count += 1
                }
            } catch let error as EventLogError {
                failure = error
            } catch {
                failure = .corrupt(LogLocation(segment: chunk.segment, fileOffset: 0, position: 0), reason: "\(error)")
            }
            return DecodedChunk(events: UnsafeMutableBufferPointer(rebasing: events[0..<count]), allocation: events,
                                endsTheRead: endsTheRead || failure != nil, error: failure)
        }
    }

    /// Deinitializes the events from `index` on and frees the chunk's buffer.
    static func release(_ chunk: DecodedChunk, from index: Int) {
        guard let base = chunk.events.baseAddress else { chunk.allocation.deallocate(); return }
        if index < chunk.events.count { (base + index).deinitialize(count: chunk.events.count - index) }
        chunk.allocation.deallocate()
    }
}

/// A chunk's events, in a buffer whose elements the consumer moves out.
struct DecodedChunk: @unchecked Sendable {
    /// The decoded events (initialized), at the start of `allocation`.
    var events: UnsafeMutableBufferPointer<RecordedEvent>
    var allocation: UnsafeMutableBufferPointer<RecordedEvent>
    /// The filter's end was reached in this chunk, or decoding failed: nothing after it counts.
    var endsTheRead: Bool
    var error: EventLogError?
}

/// Holds a non-Sendable value handed to exactly one other thread.
struct SendableBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

extension ParallelLogCursor {
    /// The chunks between the reader, the decoders and the consumer, numbered in log order.
    final class Pipeline: ChunkSink, @unchecked Sendable {
        private enum Slot {
            case toDecode(RecordChunk)
            case decoding
            case decoded(DecodedChunk)
        }

        private let condition = NSCondition()
        private let maxChunksAhead: Int
        private var slots: [Int: Slot] = [:]
        private var produced = 0       // chunks added by the reader
        private var nextToDecode = 0
        private var nextToConsume = 0
        private var readerDone = false
        private var readerError: EventLogError?
        private var cancelled = false
        private var recycled: [RecordChunk] = []

        init(maxChunksAhead: Int) { self.maxChunksAhead = maxChunksAhead }

        deinit {
            for case .decoded(let chunk) in slots.values { ParallelLogCursor.release(chunk, from: 0) }
        }

        var unconsumed: Int {
            condition.lock(); defer { condition.unlock() }
            return produced - nextToConsume
        }

        /// Reader: waits until fewer than `maxChunksAhead` chunks are unconsumed, then returns a chunk to
        /// fill (a recycled one when there is one: their buffers are reused, not reallocated). Nil once cancelled.
        func waitForRoom() -> RecordChunk? {
            condition.lock(); defer { condition.unlock() }
            while !cancelled && produced - nextToConsume >= maxChunksAhead { condition.wait() }
            if cancelled { return nil }
            return recycled.popLast() ?? RecordChunk()
        }

        func add(_ chunk: RecordChunk) {
            condition.lock(); defer { condition.unlock() }
            slots[produced] = .toDecode(chunk)
            produced += 1
            condition.broadcast()
        }

        func finish(with error: EventLogError?) {
            condition.lock(); defer { condition.unlock() }
            readerDone = true
            readerError = error
            condition.broadcast()
        }

        /// Decoder: the next chunk to decode, or nil when there will be none.
        func takeChunkToDecode() -> (Int, RecordChunk)? {
            condition.lock(); defer { condition.unlock() }
            while true {
                if cancelled { return nil }
                if nextToDecode < produced, case .toDecode(let chunk) = slots[nextToDecode] {
                    slots[nextToDecode] = .decoding
                    nextToDecode += 1
                    return (nextToDecode - 1, chunk)
                }
                if readerDone { return nil }
                condition.wait()
            }
        }

        func complete(_ sequence: Int, _ decoded: DecodedChunk, recycling chunk: RecordChunk) {
            condition.lock(); defer { condition.unlock() }
            if cancelled {
                ParallelLogCursor.release(decoded, from: 0)
                return
            }
            slots[sequence] = .decoded(decoded)
            recycled.append(chunk)
            condition.broadcast()
        }

        /// Consumer: the next chunk in log order once decoded; nil at the end of the read; the reader's
        /// error once every chunk before it has been handed out.
        func takeDecoded() throws(EventLogError) -> DecodedChunk? {
            condition.lock(); defer { condition.unlock() }
            while true {
                if case .decoded(let chunk) = slots[nextToConsume] {
                    slots[nextToConsume] = nil
                    nextToConsume += 1
                    condition.broadcast()
                    return chunk
                }
                if readerDone && nextToConsume == produced {
                    if let readerError { throw readerError }
                    return nil
                }
                condition.wait()
            }
        }

        /// Stops the threads: the reader after its current chunk, the decoders before their next one.
        func cancel() {
            condition.lock(); defer { condition.unlock() }
            cancelled = true
            condition.broadcast()
        }
    }
}
