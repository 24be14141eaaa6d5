import Foundation
import PosixFiles

/// The file-backed event log: LZ4-framed, checksummed, hash-chained, append-only segments.
///
/// Open it for writing (one process at a time: it takes the store's write lock) or read-only
/// (any number of processes, no lock). Appends from several threads of one process share their
/// durable writes (group commit). See docs/FORMAT.md for the format.
public final class EventLog: EventStore, @unchecked Sendable {
    public let directory: String
    public let storeId: StoreID
    public let options: EventLogOptions
    /// What opening for writing cut off the tail (a torn write), if anything.
    public let recovery: RecoveryReport?
    /// Derived files that opening found missing or damaged and rebuilt from the segments.
    public let rebuiltDerivedFiles: [String]

    let layout: StoreLayout
    private let writer: LogWriter?
    private let lock: WriteLock?
    private let groupCommit = GroupCommit()

    private init(directory: String, storeId: StoreID, options: EventLogOptions, layout: StoreLayout,
                 writer: LogWriter?, lock: WriteLock?, recovery: RecoveryReport?, rebuilt: [String]) {
        self.directory = directory
        self.storeId = storeId
        self.options = options
        self.layout = layout
        self.writer = writer
        self.lock = lock
        self.recovery = recovery
        self.rebuiltDerivedFiles = rebuilt
    }

    deinit { close() }

    /// Opens (or, read-write with `createIfMissing`, creates) the store in `directory`.
    public static func open(directory: String, options: EventLogOptions = EventLogOptions()) throws(EventLogError) -> EventLog {
        try open(directory: directory, options: options, confirmingEnd: false)
    }

    /// `confirmingEnd`: open for writing without checking the log's end against the evidence of
    /// what was acknowledged, and record the end as acknowledged (`recover`, after its checks).
    static func open(directory: String, options: EventLogOptions, confirmingEnd: Bool) throws(EventLogError) -> EventLog {
        let layout = StoreLayout(root: directory)
        switch options.access {
        case .readOnly:
            guard isStore(layout) else { throw .notAStore(path: directory, reason: "it has no store.id and no segment") }
            return EventLog(directory: directory, storeId: try readStoreId(layout: layout), options: options, layout: layout,
                            writer: nil, lock: nil, recovery: nil, rebuilt: [])
        case .readWrite:
            if !PosixFile.exists(layout.root) {
                guard options.createIfMissing else { throw .notAStore(path: directory, reason: "the directory does not exist") }
                do {
                    try FileManager.default.createDirectory(atPath: layout.root, withIntermediateDirectories: true,
                                                            attributes: [.posixPermissions: 0o700])
                } catch {
                    throw .io(operation: "create the store directory", path: layout.root, errno: EACCES)
                }
            }
            // Creation happens under the write lock: two processes creating one store agree on its id.
            let lock = try WriteLock.acquire(directory: layout.root, pidFile: layout.lockFile, timeout: options.lockTimeout)
            do throws(EventLogError) {
                if !isStore(layout) {
                    // A new store, or one whose creation was interrupted before anything was written.
                    guard options.createIfMissing else { throw .notAStore(path: directory, reason: "it has no store.id and no segment") }
                    try create(layout: layout)
                }
                let storeId = try readStoreId(layout: layout)
                let opened = try LogWriter.open(layout: layout, storeId: storeId, options: options, confirmingEnd: confirmingEnd)
                return EventLog(directory: directory, storeId: storeId, options: options, layout: layout,
                                writer: opened.writer, lock: lock, recovery: opened.recovery, rebuilt: opened.rebuilt)
            } catch {
                lock.release()
                throw error
            }
        }
    }

    /// A store has its id file, or at least a segment (whose header holds the id).
    private static func isStore(_ layout: StoreLayout) -> Bool {
        PosixFile.exists(layout.storeIdFile)
            || (PosixFile.exists(layout.logDirectory) && !((try? layout.segments()) ?? []).isEmpty)
    }

    /// Writes a new store: its directories, the record of its (empty) acknowledged head, its first
    /// segment, and last its id (whose presence says the store exists).
    private static func create(layout: StoreLayout) throws(EventLogError) {
        try PosixFile.makeDirectory(layout.root)
        chmod(layout.root, 0o700)
        try PosixFile.makeDirectory(layout.logDirectory)
        try PosixFile.makeDirectory(layout.indexDirectory)
        let storeId = StoreID.random()
        let acknowledged = try AcknowledgedHeadFile.open(path: layout.acknowledgedFile, storeId: storeId, after: 0)
        try acknowledged.record(AcknowledgedHead(position: 0, commits: 0, hash: HashChain.genesis, segmentFirstPosition: 1,
                                                 endOffset: UInt64(SegmentHeader.encodedLength)), sync: true)
        acknowledged.close()
        try TailRepair.writeSegmentHeader(SegmentName(firstPosition: 1), chainBefore: HashChain.genesis, layout: layout, storeId: storeId)
        try PosixFile.writeAtomically(Array((storeId.description + "\n").utf8), to: layout.storeIdFile)
        try PosixFile.syncDirectory(layout.root)
    }

    /// The store id from `store.id`, or, when that file is lost, from the first segment's header.
    static func readStoreId(layout: StoreLayout) throws(EventLogError) -> StoreID {
        if PosixFile.exists(layout.storeIdFile) {
            let text = String(decoding: try PosixFile.openForReading(layout.storeIdFile).readFully(count: 64, at: 0), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            if let id = StoreID(hex: text) { return id }
        }
        if let first = try layout.segments().first {
            let file = try PosixFile.openForReading(layout.segmentPath(first.fileName))
            let header = try SegmentScanner(file: file, segment: first).header(expectedStoreId: nil)
            return header.storeId
        }
        throw .notAStore(path: layout.root, reason: "store.id is missing or unreadable and there is no segment to recover it from")
    }

    /// Finishes the open frame, makes everything durable and releases the write lock.
    public func close() {
        groupCommit.shutDown { writer?.close() }
        lock?.release()
    }

    public var isWritable: Bool { writer != nil }

    /// Writes made by this process since opening (several commits share one under group commit).
    public var durableWrites: Int { writer.map { writer in groupCommit.read { writer.durableWrites } } ?? 0 }

    // MARK: EventStore

    public func append(_ commit: ProposedCommit) throws(EventLogError) -> CommitResult {
        switch try appendBatch([commit])[0] {
        case .success(let result): return result
        case .failure(let error): throw error
        }
    }

    public func appendBatch(_ commits: [ProposedCommit]) throws(EventLogError) -> [Result<CommitResult, EventLogError>] {
        guard let writer else { throw .notWritable("the store was opened read-only") }
        return try groupCommit.submit(commits) { group throws(EventLogError) in try writer.write(group) }
    }

    public func head() throws(EventLogError) -> LogHead {
        if let writer { return groupCommit.read { writer.head } }
        return try LogReaderState.head(layout: layout, storeId: storeId)
    }

    public func streamVersion(_ stream: String) throws(EventLogError) -> UInt64 {
        if let writer { return try groupCommit.read { () throws(EventLogError) in try writer.streamVersionRebuildingTables(stream) } }
        var version: UInt64 = 0
        let cursor = try events(from: 1, filter: EventFilter(streams: [stream]))
        while let event = try cursor.next() { version = event.streamVersion }
        return version
    }

    /// Reads that name streams or actors read only the frames the audit index points at (`index/audit/`).
    public func events(from position: UInt64, filter: EventFilter) throws(EventLogError) -> any EventCursor {
        if let indexed = try indexedCursor(from: position, filter: filter) { return indexed }
        return try read(from: position, filter: filter)
    }

    /// The sparse index as this process knows it: the writer's, or the file's.
    func frameIndex() -> FrameIndex {
        writer.map { writer in groupCommit.read { writer.index } } ?? LogReaderState.loadIndex(layout: layout)
    }

    /// The same streaming read as `events(from:filter:)`, as its concrete type (no dynamic dispatch per event).
    public func read(from position: UInt64 = 1, filter: EventFilter = .all) throws(EventLogError) -> LogCursor {
        return try LogCursor(layout: layout, storeId: storeId, index: frameIndex(), from: max(position, 1), filter: filter)
    }

    /// The same read, decoded on background threads (`ParallelLogCursor`): for long reads on a machine
    /// with cores to spare. `decoders` threads decode while another reads and decompresses.
    public func readInParallel(from position: UInt64 = 1, filter: EventFilter = .all, decoders: Int = 2) throws(EventLogError) -> ParallelLogCursor {
        try readInParallel(from: position, filter: filter, decoders: decoders, chunkBytes: RecordChunk.targetBytes)
    }

    func readInParallel(from position: UInt64, filter: EventFilter, decoders: Int, chunkBytes: Int) throws(EventLogError) -> ParallelLogCursor {
        ParallelLogCursor(try read(from: position, filter: filter), from: max(position, 1), filter: filter, storeId: storeId,
                          decoders: decoders, chunkBytes: chunkBytes)
    }
}

extension StoreID {
    init?(hex: String) {
        guard hex.count == 32 else { return nil }
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        self.init(bytes: bytes)
    }
}
