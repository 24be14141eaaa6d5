import Foundation

/// Whole commits read from the log, with the read's events indexed by position and type: the events
/// can be handed to other threads and looked at there, borrowed (`withEvent(at:)`), without an owned
/// copy of each (what a rebuild does: every view takes the events of its types from the same chunks).
public struct EventChunk: @unchecked Sendable {
    struct Slot {
        /// Where the event's fields start in `bytes`.
        var offset: Int
        var commit: Int
        var typeId: Int
        var position: UInt64
    }

    struct Commit {
        var micros: Int64
        var commitPosition: UInt64
        var actor: String
        var principal: String?
        var commandId: Range<Int>
        var correlationId: Range<Int>
    }

    let bytes: [UInt8]
    let slots: [Slot]
    let commits: [Commit]
    /// The reader's type names (indexed by type id) as of this chunk.
    public let typeNames: [String]
    let storeId: StoreID

    /// The events of the read in this chunk.
    public var count: Int { slots.count }
    /// The event at `index`'s type, as an index into `typeNames`.
    public func typeId(at index: Int) -> Int { slots[index].typeId }
    public func position(at index: Int) -> UInt64 { slots[index].position }
    /// The last event's position and time (nil for a chunk without events of the read).
    public var last: (position: UInt64, recordedAtMicros: Int64)? {
        slots.last.map { ($0.position, commits[$0.commit].micros) }
    }

    /// Calls `body` with the event at `index`, borrowed (valid during the call).
    public func withEvent<R>(at index: Int, _ body: (EventView) throws -> R) rethrows -> R {
        let slot = slots[index]
        let commit = commits[slot.commit]
        return try bytes.withUnsafeBytes { raw in
            // The fields were checked when the chunk was made: read them without checks.
            let streamLength = Int(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: slot.offset, as: UInt16.self)))
            let stream = UnsafeRawBufferPointer(rebasing: raw[(slot.offset + 2)..<(slot.offset + 2 + streamLength)])
            var offset = slot.offset + 2 + streamLength
            let version = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset += 8
            offset += 2 + Int(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))  // the type: by id
            let schemaVersion = UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
            offset += 2
            let payloadLength = Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
            offset += 4
            let payload = UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + payloadLength)])
            let view = EventView(position: slot.position, streamBytes: stream, streamVersion: version,
                                 type: typeNames[slot.typeId], schemaVersion: schemaVersion,
                                 recordedAtMicros: commit.micros,
                                 commandIdBytes: UnsafeRawBufferPointer(rebasing: raw[commit.commandId]),
                                 correlationIdBytes: UnsafeRawBufferPointer(rebasing: raw[commit.correlationId]),
                                 actor: commit.actor, principal: commit.principal, commitPosition: commit.commitPosition, payload: payload,
                                 storeId: storeId)
            return try body(view)
        }
    }

    /// An owned copy of the event at `index`.
    public func event(at index: Int) -> RecordedEvent {
        withEvent(at: index) { $0.recordedEvent() }
    }
}

/// Reads the log in `EventChunk`s (`EventStoreReader.readChunks(from:filter:)`): the same events, order, end
/// and errors as `events(from:filter:)`, from the segments or from memory alike.
public final class EventChunkReader {
    private let source: any CommitRecordSource
    private let from: UInt64
    private let filter: EventFilter
    private let storeId: StoreID
    private var strings = StringCache()
    private var types = EventTypeNumbering()
    private var ended = false

    init(source: any CommitRecordSource, from: UInt64, filter: EventFilter, storeId: StoreID) {
        self.source = source
        self.from = from
        self.filter = filter
        self.storeId = storeId
    }

    /// The next chunk: whole commits, about `targetBytes` of them (less at a segment's end), holding at
    /// least one event of the read; nil at the end of the read.
    public func next(targetBytes: Int) throws(EventLogError) -> EventChunk? {
        while !ended {
            if let error = pendingError {
                ended = true
                throw error
            }
            var records = RecordChunk()
            do throws(EventLogError) {
                guard try source.nextChunk(into: &records, targetBytes: targetBytes) else {
                    ended = true
                    return nil
                }
            } catch {
                // The whole commits before the damage still come first, as in a serial read.
                guard !records.bytes.isEmpty else {
                    ended = true
                    throw error
                }
                pendingError = error
            }
            let chunk = try index(records)
            if chunk.count > 0 { return chunk }
        }
        return nil
    }

    /// Damage met after the events of the chunk last returned: thrown by the next call.
    private var pendingError: EventLogError?

    private func index(_ records: RecordChunk) throws(EventLogError) -> EventChunk {
        var slots: [EventChunk.Slot] = []
        var commits: [EventChunk.Commit] = []
        do {
            try records.bytes.withUnsafeBytes { raw in
                let base = raw.baseAddress!
                func range(_ bytes: UnsafeRawBufferPointer) -> Range<Int> {
                    guard let start = bytes.baseAddress else { return 0..<0 }
                    return (start - base)..<(start - base + bytes.count)
                }
                ended = try records.forEachSelectedEvent(from: from, filter: filter, storeId: storeId, strings: &strings) {
                    view, _, fieldsOffset in
                    if commits.last?.commitPosition != view.commitPosition {
                        commits.append(EventChunk.Commit(
                            micros: view.recordedAtMicros, commitPosition: view.commitPosition, actor: view.actor,
                            principal: view.principal,
                            commandId: range(view.commandIdBytes), correlationId: range(view.correlationIdBytes)))
                    }
                    slots.append(EventChunk.Slot(offset: fieldsOffset, commit: commits.count - 1,
                                                 typeId: types.id(of: view.type), position: view.position))
                }
            }
        } catch let error as EventLogError {
            // The events before the damage come first, as in a serial read: they are in the chunk; the
            // error comes with the next call.
            guard !slots.isEmpty else {
                ended = true
                throw error
            }
            pendingError = error
        } catch {
            throw .corrupt(LogLocation(segment: records.segment, fileOffset: 0, position: 0), reason: "\(error)")
        }
        return EventChunk(bytes: records.bytes, slots: slots, commits: commits, typeNames: types.names, storeId: storeId)
    }
}

extension EventLog {
    /// The read of `read(from:filter:)` in chunks of whole commits, each indexed (`EventChunk`).
    public func readChunks(from position: UInt64, filter: EventFilter) throws(EventLogError) -> EventChunkReader {
        EventChunkReader(source: try read(from: position, filter: filter), from: max(position, 1), filter: filter,
                         storeId: storeId)
    }
}

/// Small numbers for event type names, in the order they are first met: a reader that numbers the
/// types once lets each consumer tell the types it wants by an array lookup instead of hashing names.
public struct EventTypeNumbering: Sendable {
    private var ids: [String: Int] = [:]
    /// The names, indexed by their numbers.
    public private(set) var names: [String] = []

    public init() {}

    public mutating func id(of type: String) -> Int {
        if let known = ids[type] { return known }
        ids[type] = names.count
        names.append(type)
        return names.count - 1
    }
}
