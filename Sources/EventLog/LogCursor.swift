import Foundation
import PosixFiles

/// A streaming read over the segments: starts at the indexed frame nearest the requested position
/// (or time), decodes frame by frame, and holds one commit at a time: memory stays flat however
/// long the log is. It stops at the end of the log as it is when the cursor gets there.
public final class LogCursor: EventCursor, CommitRecordSource {
    private let layout: StoreLayout
    private let storeId: StoreID
    private let from: UInt64
    private let filter: EventFilter
    private var segments: [SegmentName]
    private var segmentIndex: Int
    private var reader: SegmentReader?
    private var expectedPosition: UInt64
    private var finished = false
    /// The commit being read event by event (its bytes stay valid until the reader moves on).
    private var commit = CommitInProgress.none
    private var strings = StringCache()
    /// A record read past a segment's end while filling a chunk (`nextChunk`), kept for the next one.
    private var recordForNextChunk: (bytes: [UInt8], segment: String)?

    init(layout: StoreLayout, storeId: StoreID, index: FrameIndex, from: UInt64, filter: EventFilter) throws(EventLogError) {
        self.layout = layout
        self.storeId = storeId
        self.from = from
        self.filter = filter
        self.segments = try layout.segments()
        guard !segments.isEmpty else {
            // No segment at all: lost, if the store's records show that it acknowledged anything.
            _ = try LogReaderState.head(layout: layout, storeId: storeId)
            throw .notAStore(path: layout.root, reason: "its log/ directory has no segment")
        }
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
                                   segment: segments[at].fileName, startOffset: entry.frameOffset, expectedPosition: entry.firstPosition,
                                   computeChecksums: false)
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
                               expectedPosition: expectedPosition, computeChecksums: false)
    }

    public func next() throws(EventLogError) -> RecordedEvent? {
        while true {
            while commit.remaining > 0 {
                switch try commit.nextSelectedView(from: from, filter: filter, storeId: storeId, strings: &strings,
                                                   segment: segments[segmentIndex].fileName) {
                case .event(let view): return commit.ownedEvent(view)
                case .skipped: continue
                case .exhausted:
                    end()
                    return nil
                }
            }
            guard let raw = try nextRawRecord() else { return nil }
            commit = try CommitInProgress(record: raw, strings: &strings, segment: segments[segmentIndex].fileName)
        }
    }

    /// Calls `body` with each remaining event of the read, borrowed from the read buffer (no copy, no
    /// allocation per event): the fastest way through the log when the caller does not keep the events.
    /// Same events, order, end and errors as `next()`. Errors thrown by `body` end the scan and are rethrown.
    ///
    /// The same walk as `next()`, written out rather than shared: a shared step that returns each
    /// borrowed event (as an optional) made this scan about 7% slower.
    public func scan(_ body: (EventView) throws -> Void) throws {
        while true {
            while commit.remaining > 0 {
                switch try commit.nextSelectedView(from: from, filter: filter, storeId: storeId, strings: &strings,
                                                   segment: segments[segmentIndex].fileName) {
                case .event(let view): try body(view)
                case .skipped: continue
                case .exhausted:
                    end()
                    return
                }
            }
            guard let raw = try nextRawRecord() else { return }
            commit = try CommitInProgress(record: raw, strings: &strings, segment: segments[segmentIndex].fileName)
        }
    }

    /// The filter ended the read: nothing more comes.
    private func end() {
        finished = true
        commit = .none
    }

    /// Copies whole commit records into `chunk` (emptied first) until it holds about `targetBytes` or the
    /// read ends. A chunk's records all come from one segment (the one errors name). False when nothing is left.
    func nextChunk(into chunk: inout RecordChunk, targetBytes: Int) throws(EventLogError) -> Bool {
        chunk.bytes.removeAll(keepingCapacity: true)
        if let carried = recordForNextChunk {
            chunk.bytes.append(contentsOf: carried.bytes)
            chunk.segment = carried.segment
            recordForNextChunk = nil
        }
        while chunk.bytes.count < targetBytes, let raw = try nextRawRecord() {
            let segment = segments[segmentIndex].fileName
            if !chunk.bytes.isEmpty && segment != chunk.segment {
                recordForNextChunk = (Array(raw.bytes), segment)
                break
            }
            chunk.segment = segment
            chunk.bytes.append(contentsOf: raw.bytes)
        }
        return !chunk.bytes.isEmpty
    }

    /// The next whole commit that holds a position at or after `from`.
    func nextRecord() throws(EventLogError) -> CommitRecord? {
        try nextRecordAndSize()?.record
    }

    /// The next whole commit and its size in the decompressed stream.
    func nextRecordAndSize() throws(EventLogError) -> (record: CommitRecord, size: Int)? {
        guard let raw = try nextRawRecord() else { return nil }
        do throws(RecordDecodingFailure) {
            return (try CommitRecordReader.decode(in: raw.bytes, at: 0, size: raw.bytes.count), raw.bytes.count)
        } catch {
            throw .corrupt(LogLocation(segment: segments[segmentIndex].fileName, fileOffset: 0, position: raw.firstPosition),
                           reason: "the commit record does not decode: \(error)")
        }
    }

    /// The next raw commit (valid until the next call) that holds a position at or after `from`.
    private func nextRawRecord() throws(EventLogError) -> SegmentReader.Record? {
        while !finished {
            guard let current = reader else { return nil }
            switch try current.next() {
            case .record(let raw):
                expectedPosition = raw.firstPosition + UInt64(raw.eventCount)
                if expectedPosition <= from { continue }
                let micros = CommitRecordReader.recordedAt(in: raw.bytes, at: 0)
                if filter.isExhausted(position: raw.firstPosition, micros: micros) {
                    finished = true
                    return nil
                }
                return raw
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

    /// The head, checked against the store's evidence of what was acknowledged: a log that lost
    /// acknowledged commits is damage for readers too, so no view is served from it.
    static func head(layout: StoreLayout, storeId: StoreID) throws(EventLogError) -> LogHead {
        let outcome = try TailScan(layout: layout, storeId: storeId).run(writable: false)
        try outcome.checkEvidence(layout: layout)
        return outcome.head
    }
}

/// Decodes a commit's events one at a time, straight from the segment reader's buffer.
struct CommitInProgress {
    private var cursor: ByteCursor
    /// Where the next event's fields start, from the start of the record.
    var nextEventOffset: Int { cursor.offset }
    private(set) var remaining: Int
    private(set) var position: UInt64
    let commitPosition: UInt64
    let micros: Int64
    /// The command and correlation ids' bytes (empty: none), made Strings only for owned events.
    let commandIdBytes: UnsafeRawBufferPointer
    let correlationIdBytes: UnsafeRawBufferPointer
    private var ids: (command: String?, correlation: String?)?
    let actor: String
    let principal: String?

    /// No commit: nothing remains.
    static var none: CommitInProgress { CommitInProgress() }

    private init() {
        cursor = ByteCursor(bytes: UnsafeRawBufferPointer(start: nil, count: 0), offset: 0, end: 0)
        remaining = 0
        position = 0
        commitPosition = 0
        micros = 0
        commandIdBytes = UnsafeRawBufferPointer(start: nil, count: 0)
        correlationIdBytes = UnsafeRawBufferPointer(start: nil, count: 0)
        actor = ""
        principal = nil
    }

    /// The commit at the start of `record`; an undecodable one is damage, named by segment and position.
    init(record: SegmentReader.Record, strings: inout StringCache, segment: @autoclosure () -> String) throws(EventLogError) {
        do throws(RecordDecodingFailure) {
            try self.init(record: record, strings: &strings)
        } catch {
            throw .corrupt(LogLocation(segment: segment(), fileOffset: 0, position: record.firstPosition),
                           reason: "the commit record does not decode: \(error)")
        }
    }

    /// What the next event of the commit is to a read from `from` with `filter`.
    enum Selection {
        case event(EventView)
        /// Before `from`, or not matched by the filter.
        case skipped
        /// Past the filter's end: the read ends here.
        case exhausted
    }

    /// The next event as a view of the record's bytes.
    mutating func nextSelectedView(from: UInt64, filter: EventFilter, storeId: StoreID, strings: inout StringCache,
                                   segment: @autoclosure () -> String) throws(EventLogError) -> Selection {
        let view: EventView
        do throws(RecordDecodingFailure) {
            view = try nextView(storeId: storeId, strings: &strings)
        } catch {
            throw .corrupt(LogLocation(segment: segment(), fileOffset: 0, position: position),
                           reason: "the commit record does not decode: \(error)")
        }
        if filter.isExhausted(position: view.position, micros: view.recordedAtMicros) { return .exhausted }
        if view.position >= from,
           // The stream is made a String only for a filter that names streams (and compared as
           // Strings, as everywhere else: canonically equivalent names match).
           filter.matches(stream: filter.streams == nil ? "" : view.stream, type: view.type, actor: view.actor,
                          micros: view.recordedAtMicros) {
            return .event(view)
        }
        return .skipped
    }

    mutating func nextView(storeId: StoreID, strings: inout StringCache) throws(RecordDecodingFailure) -> EventView {
        let stream = try cursor.rawString()
        let version = try cursor.u64()
        let type = try cursor.cachedString(&strings)
        let schemaVersion = try cursor.u16()
        let payload = try cursor.rawBytes(Int(try cursor.u32()))
        defer {
            remaining -= 1
            position += 1
        }
        return EventView(position: position, streamBytes: stream, streamVersion: version, type: type,
                         schemaVersion: schemaVersion, recordedAtMicros: micros, commandIdBytes: commandIdBytes,
                         correlationIdBytes: correlationIdBytes, actor: actor, principal: principal,
                         commitPosition: commitPosition, payload: payload, storeId: storeId)
    }

    init(record: SegmentReader.Record, strings: inout StringCache) throws(RecordDecodingFailure) {
        cursor = ByteCursor(bytes: record.bytes, offset: 4, end: record.bytes.count - 4)
        let kind = try cursor.u8()
        guard kind == CommitRecord.kindCommit || kind == CommitRecord.kindCommitWithPrincipal else { throw .invalid("unknown record kind") }
        commitPosition = try cursor.u64()
        position = commitPosition
        micros = Int64(bitPattern: try cursor.u64())
        remaining = Int(try cursor.u32())
        commandIdBytes = try cursor.rawString()
        correlationIdBytes = try cursor.rawString()
        actor = try cursor.cachedString(&strings)
        principal = kind == CommitRecord.kindCommitWithPrincipal ? try cursor.cachedString(&strings) : nil
    }

    /// An owned copy of `view`, an event of this commit (its ids made Strings once per commit).
    mutating func ownedEvent(_ view: EventView) -> RecordedEvent {
        let ids = ownedIds()
        return view.recordedEvent(commandId: ids.command, correlationId: ids.correlation)
    }

    /// The ids as Strings, made once per commit.
    private mutating func ownedIds() -> (command: String?, correlation: String?) {
        if let ids { return ids }
        let made = (EventView.optionalString(commandIdBytes), EventView.optionalString(correlationIdBytes))
        ids = made
        return made
    }
}

/// Reuses the String values of names that repeat (event types, actors) instead of decoding them again:
/// a small direct-mapped table keyed by the bytes' length and ends.
struct StringCache {
    private static let slotCount = 128
    /// Longer names are decoded every time (names that repeat are short: event types, actors).
    private static let maxKeyLength = 64
    /// Each slot's key bytes, `maxKeyLength` apart: compared in place, without reference counting.
    private var keys = [UInt8](repeating: 0, count: slotCount * maxKeyLength)
    /// Each slot's key length; -1 for an empty slot.
    private var lengths = [Int](repeating: -1, count: slotCount)
    private var strings = [String](repeating: "", count: slotCount)

    private static func slot(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard let first = bytes.first, let last = bytes.last else { return 0 }
        let middle = bytes[bytes.count / 2]
        return (bytes.count &* 31 &+ Int(first) &* 7 &+ Int(last) &* 13 &+ Int(middle)) & (slotCount - 1)
    }

    mutating func string(for bytes: UnsafeRawBufferPointer) -> String {
        let count = bytes.count
        guard count > 0 else { return "" }
        guard count <= Self.maxKeyLength else { return String(decoding: bytes.bindMemory(to: UInt8.self), as: UTF8.self) }
        let index = Self.slot(bytes)
        let start = index * Self.maxKeyLength
        if lengths[index] == count,
           keys.withUnsafeBytes({ memcmp($0.baseAddress! + start, bytes.baseAddress!, count) == 0 }) {
            return strings[index]
        }
        let string = String(decoding: bytes.bindMemory(to: UInt8.self), as: UTF8.self)
        keys.withUnsafeMutableBytes { $0.baseAddress!.advanced(by: start).copyMemory(from: bytes.baseAddress!, byteCount: count) }
        lengths[index] = count
        strings[index] = string
        return string
    }
}

extension ByteCursor {
    mutating func cachedString(_ cache: inout StringCache) throws(RecordDecodingFailure) -> String {
        let length = Int(try u16())
        try need(length)
        defer { offset += length }
        return cache.string(for: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + length)]))
    }
}
