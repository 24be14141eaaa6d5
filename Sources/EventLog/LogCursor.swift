import Foundation

/// A streaming read over the segments: starts at the indexed frame nearest the requested position
/// (or time), decodes frame by frame, and holds one commit at a time: memory stays flat however
/// long the log is. It stops at the end of the log as it is when the cursor gets there.
final class LogCursor: EventCursor {
    private let layout: StoreLayout
    private let storeId: StoreID
    private let from: UInt64
    private let filter: EventFilter
    private var segments: [SegmentName]
    private var segmentIndex: Int
    private var reader: SegmentReader?
    private var expectedPosition: UInt64
    private var pending: [RecordedEvent] = []
    private var pendingIndex = 0
    private var finished = false

    init(layout: StoreLayout, storeId: StoreID, index: FrameIndex, from: UInt64, filter: EventFilter) throws(EventLogError) {
        self.layout = layout
        self.storeId = storeId
        self.from = from
        self.filter = filter
        self.segments = try layout.segments()
        guard !segments.isEmpty else { throw .notAStore(path: layout.root, reason: "its log/ directory has no segment") }
        var entry = index.entry(atOrBefore: from)
        if let since = filter.sinceMicros, let byTime = index.entry(atOrBeforeMicros: since - 1),
           byTime.firstPosition > (entry?.firstPosition ?? 0) {
            entry = byTime
        }
        // The segment holding `from`: by the index entry, else by the segments' names.
        if let entry, let at = segments.firstIndex(where: { $0.firstPosition == entry.segmentFirstPosition }),
           Self.frameStarts(at: entry.frameOffset, in: layout.segmentPath(segments[at].fileName)) {
            segmentIndex = at
            expectedPosition = entry.firstPosition
            reader = SegmentReader(file: try PosixFile.openForReading(layout.segmentPath(segments[at].fileName)),
                                   segment: segments[at].fileName, startOffset: entry.frameOffset, expectedPosition: entry.firstPosition)
        } else {
            segmentIndex = segments.lastIndex(where: { $0.firstPosition <= from }) ?? 0
            expectedPosition = segments[segmentIndex].firstPosition
            try openSegmentFromHeader()
        }
    }

    /// A repack may have moved frames since the index was read: check that a frame starts there.
    private static func frameStarts(at offset: UInt64, in path: String) -> Bool {
        guard let file = try? PosixFile.openForReading(path), let bytes = try? file.readFully(count: 4, at: offset),
              bytes.count == 4 else { return false }
        return bytes == [0x04, 0x22, 0x4D, 0x18]
    }

    private func openSegmentFromHeader() throws(EventLogError) {
        let name = segments[segmentIndex]
        let file = try PosixFile.openForReading(layout.segmentPath(name.fileName))
        let header = try SegmentScanner(file: file, segment: name).header(expectedStoreId: storeId)
        guard header.firstPosition == expectedPosition else {
            throw .corrupt(LogLocation(segment: name.fileName, fileOffset: 0, position: expectedPosition),
                           reason: "a segment is missing: this one starts at position \(header.firstPosition)")
        }
        reader = SegmentReader(file: file, segment: name.fileName, startOffset: UInt64(SegmentHeader.encodedLength),
                               expectedPosition: expectedPosition)
    }

    func next() throws(EventLogError) -> RecordedEvent? {
        while true {
            if pendingIndex < pending.count {
                let event = pending[pendingIndex]
                pendingIndex += 1
                if filter.isExhausted(position: event.position, micros: event.recordedAtMicros) {
                    finished = true
                    pending = []
                    return nil
                }
                if event.position >= from,
                   filter.matches(stream: event.stream, type: event.type, actor: event.actor, micros: event.recordedAtMicros) {
                    return event
                }
                continue
            }
            guard let record = try nextRecord() else { return nil }
            pending = record.recordedEvents(storeId: storeId)
            pendingIndex = 0
        }
    }

    /// The next whole commit that holds a position at or after `from`.
    func nextRecord() throws(EventLogError) -> CommitRecord? {
        while !finished {
            guard var current = reader else { return nil }
            let step = try current.next()
            reader = current
            switch step {
            case .record(let raw):
                expectedPosition = raw.firstPosition + UInt64(raw.eventCount)
                if expectedPosition <= from { continue }
                let micros = CommitRecordReader.recordedAt(in: raw.bytes, at: 0)
                if filter.isExhausted(position: raw.firstPosition, micros: micros) {
                    finished = true
                    return nil
                }
                do throws(RecordDecodingFailure) {
                    return try CommitRecordReader.decode(in: raw.bytes, at: 0, size: raw.bytes.count)
                } catch {
                    throw .corrupt(LogLocation(segment: segments[segmentIndex].fileName, fileOffset: 0, position: raw.firstPosition),
                                   reason: "the commit record does not decode: \(error)")
                }
            case .end(let ending):
                try advance(after: ending)
            }
        }
        return nil
    }

    /// At the end of a segment: move to the next one, or end the read at the log's end.
    private func advance(after ending: SegmentReader.Ending) throws(EventLogError) {
        let name = segments[segmentIndex]
        if segmentIndex == segments.count - 1 {
            // The last segment we know of: has the writer sealed it and started another since?
            let now = try layout.segments()
            guard now.count > segments.count else {
                finished = true
                return
            }
            segments = now
            // The segment was sealed after we reached its end: read on to its real end first.
            reader?.resumeAfterEndOfFile()
            return
        }
        guard ending == .frameBoundary else {
            throw .corrupt(LogLocation(segment: name.fileName, fileOffset: 0, position: expectedPosition),
                           reason: "a sealed segment ends in the middle of a frame (truncated?)")
        }
        segmentIndex += 1
        try openSegmentFromHeader()
    }
}

/// What a read-only opening needs: the index and the head, from the files as they are.
enum LogReaderState {
    static func loadIndex(layout: StoreLayout) -> FrameIndex {
        ((try? FrameIndex.load(layout.frameIndexFile)) ?? nil) ?? FrameIndex()
    }

    static func head(layout: StoreLayout, storeId: StoreID) throws(EventLogError) -> LogHead {
        let outcome = try TailScan(layout: layout, storeId: storeId).run(writable: false)
        return LogHead(position: outcome.last.nextPosition - 1, commits: outcome.last.commits, hash: outcome.last.chain.value)
    }
}
