import Foundation

extension EventLog {
    /// `LogCursor.scan` with the reading, decompression and checks on a background thread: the caller's
    /// thread only walks whole commits already in memory and calls `body` with each event, borrowed.
    /// Same events, order, end and errors as a serial read; an error thrown by `body` ends the scan and
    /// is rethrown. Memory stays flat: at most `RecordChunk.maxAhead` chunks of records are read ahead.
    public func scanInParallel(from position: UInt64 = 1, filter: EventFilter = .all,
                               _ body: (EventView) throws -> Void) throws {
        try scanInParallel(from: position, filter: filter, chunkBytes: RecordChunk.targetBytes, body)
    }

    func scanInParallel(from position: UInt64, filter: EventFilter, chunkBytes: Int,
                        _ body: (EventView) throws -> Void) throws {
        let cursor = try read(from: position, filter: filter)
        try ParallelScan.run(cursor, from: max(position, 1), filter: filter, storeId: storeId, chunkBytes: chunkBytes, body)
    }
}

/// The borrowed read on two threads: a reader fills chunks of whole commit records (`LogCursor.nextChunk`);
/// the caller walks them.
enum ParallelScan {
    static func run(_ cursor: LogCursor, from: UInt64, filter: EventFilter, storeId: StoreID, chunkBytes: Int,
                    queue: ChunkQueue = ChunkQueue(maxChunksAhead: RecordChunk.maxAhead),
                    _ body: (EventView) throws -> Void) throws {
        RecordChunk.startReading(cursor, into: queue, chunkBytes: chunkBytes)
        defer { queue.cancel() }
        var strings = StringCache()
        while let chunk = try queue.take() {
            let ended = try chunk.forEachSelectedEvent(from: from, filter: filter, storeId: storeId, strings: &strings) { view, _, _ in
                try body(view)
            }
            queue.recycle(chunk)
            if ended { return }
        }
    }

    /// Chunks from the reader to the caller, in order, at most `maxChunksAhead` waiting.
    final class ChunkQueue: ChunkSink, @unchecked Sendable {
        private let condition = NSCondition()
        private let maxChunksAhead: Int
        /// At most `maxChunksAhead`: taking the first moves only a few.
        private var ready: [RecordChunk] = []
        private var recycled: [RecordChunk] = []
        private var done = false
        private var failure: EventLogError?
        private var cancelled = false

        init(maxChunksAhead: Int) { self.maxChunksAhead = maxChunksAhead }

        /// Chunks read and not yet taken by the caller (at most `maxChunksAhead`).
        var waiting: Int {
            condition.lock(); defer { condition.unlock() }
            return ready.count
        }

        /// Reader: waits for room, then returns a chunk to fill (a recycled one when there is one); nil once cancelled.
        func waitForRoom() -> RecordChunk? {
            condition.lock(); defer { condition.unlock() }
            while !cancelled && ready.count >= maxChunksAhead { condition.wait() }
            if cancelled { return nil }
            return recycled.popLast() ?? RecordChunk()
        }

        func add(_ chunk: RecordChunk) {
            condition.lock(); defer { condition.unlock() }
            ready.append(chunk)
            condition.broadcast()
        }

        func finish(with error: EventLogError?) {
            condition.lock(); defer { condition.unlock() }
            done = true
            failure = error
            condition.broadcast()
        }

        /// Caller: the next chunk; nil at the end of the read; the reader's error after every chunk before it.
        func take() throws(EventLogError) -> RecordChunk? {
            condition.lock(); defer { condition.unlock() }
            while true {
                if !ready.isEmpty {
                    condition.broadcast()
                    return ready.removeFirst()
                }
                if done {
                    if let failure { throw failure }
                    return nil
                }
                condition.wait()
            }
        }

        func recycle(_ chunk: RecordChunk) {
            condition.lock(); defer { condition.unlock() }
            recycled.append(chunk)
        }

        /// Stops the reader after its current chunk.
        func cancel() {
            condition.lock(); defer { condition.unlock() }
            cancelled = true
            condition.broadcast()
        }
    }
}
