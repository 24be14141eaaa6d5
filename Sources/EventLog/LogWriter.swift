import Foundation
import PosixFiles

/// The writing side of an open store: the active segment, its open LZ4 frame, the head, the hash
/// chain, the sparse index and the stream and command tables. Used only by the group-commit leader.
final class LogWriter {
    let layout: StoreLayout
    let storeId: StoreID
    let options: EventLogOptions

    private(set) var head: LogHead
    private var chain: HashChain
    private var lastMicros: Int64
    private(set) var index: FrameIndex
    private var streams: DiskHashTable
    private var commands: DiskHashTable

    private var segment: SegmentName
    private var segmentFile: PosixFile
    private var fileSize: UInt64
    private let frame: FrameWriter
    private var indexFile: PosixFile
    private let acknowledged: AcknowledgedHeadFile
    /// What a crash left at the tail, repaired by the first append (opening writes nothing to the log).
    private var pendingRepair: TailRepair?
    /// Whether the first append has looked at the active segment's fragmentation yet.
    private var repackChecked = false
    /// Set when a write failed part-way: the next write first re-reads the tail from disk.
    private var needsRecovery = false
    /// Set when the active segment changed under the writer: it appends nothing more.
    private var stopped: EventLogError?
    /// How many writes (each made durable together) this writer has made: less than the number of
    /// commits when group commit shares them.
    private(set) var durableWrites = 0

    private init(layout: StoreLayout, storeId: StoreID, options: EventLogOptions, state: TailState,
                 streams: DiskHashTable, commands: DiskHashTable, indexFile: PosixFile, acknowledged: AcknowledgedHeadFile) {
        self.layout = layout
        self.storeId = storeId
        self.options = options
        self.head = state.head
        self.chain = HashChain(value: state.head.hash)
        self.lastMicros = state.lastMicros
        self.index = state.index
        self.streams = streams
        self.commands = commands
        self.segment = state.segment
        self.segmentFile = state.file
        self.fileSize = state.fileSize
        self.frame = FrameWriter()
        self.indexFile = indexFile
        self.acknowledged = acknowledged
        self.pendingRepair = state.repair
    }

    struct Opened {
        var writer: LogWriter
        var recovery: RecoveryReport?
        var rebuilt: [String]
    }

    /// `confirmingEnd` opens without checking the log's end against the store's evidence (for
    /// `recover`, which has checked it) and records the end as acknowledged.
    static func open(layout: StoreLayout, storeId: StoreID, options: EventLogOptions,
                     confirmingEnd: Bool = false) throws(EventLogError) -> Opened {
        try PosixFile.makeDirectory(layout.indexDirectory)
        for directory in [layout.logDirectory, layout.indexDirectory] where PosixFile.exists(directory) {
            for name in try PosixFile.listDirectory(directory) where name.hasSuffix(".tmp") {
                try? PosixFile.remove(directory + "/" + name) // leftovers of an interrupted rewrite
            }
        }
        var rebuilt: [String] = []
        let tail = try TailRecovery(layout: layout, storeId: storeId, options: options)
        let state = try tail.recover(rebuilt: &rebuilt, confirmingEnd: confirmingEnd)
        try PosixFile.writeAtomically(state.index.encoded, to: layout.frameIndexFile)
        let indexFile = try PosixFile.open(layout.frameIndexFile, flags: O_WRONLY)
        let acknowledged = try openAcknowledged(layout: layout, storeId: storeId, state: state, record: confirmingEnd)
        let streams = try openTable(layout.streamsTableFile, head: state.head.position, rebuilt: &rebuilt)
        let commands = try openTable(layout.commandsTableFile, head: state.head.position, rebuilt: &rebuilt)
        let writer = LogWriter(layout: layout, storeId: storeId, options: options, state: state,
                               streams: streams, commands: commands, indexFile: indexFile, acknowledged: acknowledged)
        do throws(EventLogError) {
            try writer.catchUpTables()
        } catch {
            guard case .derivedFileDamaged(let path, let reason) = error else { throw error }
            rebuilt.append(path + " (\(reason))")
            try writer.rebuildTables()
        }
        return Opened(writer: writer, recovery: state.recovery, rebuilt: rebuilt)
    }

    /// The record of the last acknowledged commit, written now when the store has none yet (a new
    /// store) or when `record` (after `recover` confirmed the end).
    private static func openAcknowledged(layout: StoreLayout, storeId: StoreID, state: TailState,
                                         record: Bool) throws(EventLogError) -> AcknowledgedHeadFile {
        let reading = AcknowledgedHead.read(path: layout.acknowledgedFile, storeId: storeId)
        var sequence: UInt64 = 0
        if case .found(_, let found) = reading { sequence = found }
        let file = try AcknowledgedHeadFile.open(path: layout.acknowledgedFile, storeId: storeId, after: sequence)
        if case .found = reading, !record { return file }
        try file.record(AcknowledgedHead(position: state.head.position, commits: state.head.commits, hash: state.head.hash,
                                         segmentFirstPosition: state.segment.firstPosition, endOffset: state.fileSize), sync: true)
        return file
    }

    private static func openTable(_ path: String, head: UInt64, rebuilt: inout [String]) throws(EventLogError) -> DiskHashTable {
        do throws(EventLogError) {
            if let table = try DiskHashTable.open(path: path, writable: true), table.coveredPosition <= head { return table }
            if PosixFile.exists(path) { rebuilt.append(path + " (ahead of the log)") }
        } catch {
            rebuilt.append(path + " (\(error))")
        }
        return try DiskHashTable.create(path: path)
    }

    /// Brings the stream and command tables up to the head by reading the commits they miss.
    private func catchUpTables() throws(EventLogError) {
        let from = min(streams.coveredPosition, commands.coveredPosition) + 1
        guard from <= head.position else { return }
        let cursor = try LogCursor(layout: layout, storeId: storeId, index: index, from: from, filter: .all)
        while let record = try cursor.nextRecord() {
            try apply(record)
        }
        try checkpointTables()
    }

    /// Replaces both tables with new ones derived from the whole log: for a table found
    /// inconsistent (full, or its count wrong), whatever made it so.
    private func rebuildTables() throws(EventLogError) {
        streams = try DiskHashTable.create(path: layout.streamsTableFile)
        commands = try DiskHashTable.create(path: layout.commandsTableFile)
        try catchUpTables()
    }

    private func apply(_ record: CommitRecord) throws(EventLogError) {
        var position = record.firstPosition
        for event in record.events {
            try streams.set(DiskHashTable.Key(event.stream), event.streamVersion, position)
            position += 1
        }
        if let id = record.commandId {
            try commands.set(DiskHashTable.Key(id), record.firstPosition, UInt64(record.events.count), onlyIfAbsent: true)
        }
    }

    private func checkpointTables() throws(EventLogError) {
        try streams.checkpoint(coveredPosition: head.position)
        try commands.checkpoint(coveredPosition: head.position)
    }

    /// `streamVersion` for callers outside a write: a table found inconsistent is rebuilt from the log.
    func streamVersionRebuildingTables(_ stream: String) throws(EventLogError) -> UInt64 {
        do throws(EventLogError) {
            return try streamVersion(stream)
        } catch {
            guard case .derivedFileDamaged = error else { throw error }
            try rebuildTables()
            return try streamVersion(stream)
        }
    }

    func streamVersion(_ stream: String) throws(EventLogError) -> UInt64 {
        guard let (version, lastPosition) = try streams.lookup(DiskHashTable.Key(stream)) else { return 0 }
        guard lastPosition <= head.position else {
            throw .derivedFileDamaged(path: streams.path, reason: "it names position \(lastPosition), past the head")
        }
        return version
    }

    private func committedCommand(_ id: String) throws(EventLogError) -> CommitResult? {
        guard let (position, _) = try commands.lookup(DiskHashTable.Key(id)), position <= head.position else { return nil }
        let cursor = try LogCursor(layout: layout, storeId: storeId, index: index, from: position, filter: .all)
        guard let record = try cursor.nextRecord(), record.firstPosition == position, record.commandId == id else {
            return nil // a hash collision or a stale entry: the id was not used
        }
        return CommitResult(record: record, isDuplicate: true)
    }

    // MARK: Writing

    /// Plans, writes and (by default) syncs a group of batches with one write.
    func write(_ group: [[ProposedCommit]]) throws(EventLogError) -> [[Result<CommitResult, EventLogError>]] {
        if let stopped { throw stopped }
        if needsRecovery { try reloadTail() }
        do throws(EventLogError) {
            return try plannedWrite(group)
        } catch {
            // A table found inconsistent while planning (nothing was written yet): rebuild both from
            // the log and plan again.
            guard case .derivedFileDamaged = error else { throw error }
            try rebuildTables()
            return try plannedWrite(group)
        }
    }

    private func plannedWrite(_ group: [[ProposedCommit]]) throws(EventLogError) -> [[Result<CommitResult, EventLogError>]] {
        var planner = CommitPlanner(
            nextPosition: head.position + 1, lastMicros: lastMicros,
            committedVersion: { [self] stream throws(EventLogError) in try streamVersion(stream) },
            committedCommand: { [self] id throws(EventLogError) in try committedCommand(id) })
        let now = WallClock.nowMicros()
        var records: [CommitRecord] = []
        var buffer: [UInt8] = []
        var recordEnds: [Int] = []
        var failure: EventLogError?
        let results = group.map { batch in
            planner.planEach(batch, nowMicros: now) { record, _ in
                record.encode(into: &buffer)
                recordEnds.append(buffer.count)
                records.append(record)
            }
        }
        for batch in results {
            for case .failure(let error) in batch {
                if case .derivedFileDamaged = error { failure = error }
            }
        }
        if let failure { throw failure }
        guard !records.isEmpty else { return results }
        do throws(EventLogError) {
            try prepareTailForAppend()
            try writeRecords(records, bytes: buffer, ends: recordEnds)
        } catch {
            // Nothing of this group is acknowledged: every commit that was to be written fails.
            return results.map { batch in
                batch.map { result in
                    if case .success(let value) = result, !value.isDuplicate { return .failure(error) }
                    return result
                }
            }
        }
        return results
    }

    /// Before the first append of this writer: repairs what a crash left at the tail, and repacks a
    /// fragmented active segment. Done here, not when opening, so that a store opened by a command
    /// that appends nothing (a rejected one) keeps every byte of its log.
    private func prepareTailForAppend() throws(EventLogError) {
        if let repair = pendingRepair {
            let state = try repair.apply(to: currentTailState, layout: layout, storeId: storeId)
            segment = state.segment
            segmentFile = state.file
            fileSize = state.fileSize
            pendingRepair = nil
            if case .createSegment = repair { try checkpointTables() }
        }
        guard !repackChecked else { return }
        repackChecked = true
        var state = currentTailState
        if try TailRecovery(layout: layout, storeId: storeId, options: options).repackIfFragmented(&state) {
            try reloadTail()
        }
    }

    private var currentTailState: TailState {
        TailState(head: head, lastMicros: lastMicros, index: index, segment: segment, file: segmentFile, fileSize: fileSize,
                  recovery: nil, repair: pendingRepair)
    }

    /// The active segment must be the file this writer has been appending to, at the size it left:
    /// if another process wrote to it, truncated, replaced or removed it, appending would bury
    /// their bytes or ours. The writer then stops for good.
    private func checkTailIsOurs() throws(EventLogError) {
        let path = layout.segmentPath(segment.fileName)
        let ours = try segmentFile.status()
        var reason: String?
        if ours.st_nlink == 0 {
            reason = "the segment file was removed"
        } else if UInt64(ours.st_size) != fileSize {
            reason = "it is \(ours.st_size) bytes long where this writer left it at \(fileSize)"
        } else {
            var named = stat()
            if stat(path, &named) != 0 || named.st_ino != ours.st_ino || named.st_dev != ours.st_dev {
                reason = "the segment file was replaced by another file"
            }
        }
        guard let reason else { return }
        let error = EventLogError.foreignWrite(path: path, reason: reason)
        stopped = error
        throw error
    }

    private func writeRecords(_ records: [CommitRecord], bytes: [UInt8], ends: [Int]) throws(EventLogError) {
        var output: [UInt8] = []
        var newEntry: FrameIndex.Entry?
        if !frame.isOpen {
            newEntry = FrameIndex.Entry(segmentFirstPosition: segment.firstPosition, frameOffset: fileSize,
                                        firstPosition: records[0].firstPosition, firstRecordedAtMicros: records[0].recordedAtMicros,
                                        chainBefore: chain.value, commitsBefore: head.commits)
            frame.begin(into: &output)
        }
        frame.append(bytes, into: &output)
        do throws(EventLogError) {
            try checkTailIsOurs()
        } catch {
            frame.abandon()
            throw error
        }
        do throws(EventLogError) {
            try segmentFile.write(output, at: fileSize)
            if options.durability == .fsync { try segmentFile.sync() }
        } catch {
            needsRecovery = true
            frame.abandon()
            _ = try? segmentFile.truncate(to: fileSize)
            throw error
        }
        frame.confirm(bytes)
        durableWrites += 1
        fileSize += UInt64(output.count)
        bytes.withUnsafeBytes { raw in
            var start = 0
            for end in ends {
                chain.extend(with: UnsafeRawBufferPointer(rebasing: raw[start..<end]))
                start = end
            }
        }
        let last = records[records.count - 1]
        head = LogHead(position: last.lastPosition, commits: head.commits + UInt64(records.count), hash: chain.value)
        lastMicros = last.recordedAtMicros
        // The record of what was acknowledged follows the durable write, so it is never ahead of
        // the log. A failure to write it loses nothing: it only proves less until the next write.
        try? acknowledged.record(AcknowledgedHead(position: head.position, commits: head.commits, hash: head.hash,
                                                  segmentFirstPosition: segment.firstPosition, endOffset: fileSize))
        // The commits are durable: they are acknowledged whatever happens next. If the housekeeping
        // below fails (a full disk growing a table, say), the next write first re-derives the
        // tables, index and frame state from the log itself.
        do throws(EventLogError) {
            if let newEntry {
                index.append(newEntry)
                var entryBytes: [UInt8] = []
                newEntry.encode(into: &entryBytes)
                try indexFile.write(entryBytes, at: UInt64(FrameIndex.header.count + (index.entries.count - 1) * FrameIndex.Entry.encodedLength))
            }
            for record in records { try apply(record) }
            if frame.decompressedBytes >= options.frameTargetBytes { try finishFrame() }
            // The tables are made durable when a segment is sealed and at close; after a crash they
            // are caught up from their last checkpoint (at most one segment to read).
            if fileSize >= UInt64(options.segmentTargetBytes) { try seal() }
        } catch {
            needsRecovery = true
        }
    }

    /// Writes the open frame's end mark and content checksum.
    private func finishFrame() throws(EventLogError) {
        guard frame.isOpen else { return }
        try checkTailIsOurs()
        var output: [UInt8] = []
        frame.finish(into: &output)
        do throws(EventLogError) {
            try segmentFile.write(output, at: fileSize)
        } catch {
            needsRecovery = true
            _ = try? segmentFile.truncate(to: fileSize)
            throw error
        }
        fileSize += UInt64(output.count)
    }

    /// Closes the active segment for good and starts the next one.
    private func seal() throws(EventLogError) {
        try finishFrame()
        try segmentFile.sync()
        let next = SegmentName(firstPosition: head.position + 1)
        let file = try TailRepair.writeSegmentHeader(next, chainBefore: chain.value, layout: layout, storeId: storeId)
        segment = next
        segmentFile = file
        fileSize = UInt64(SegmentHeader.encodedLength)
        try checkpointTables()
    }

    /// After a failed write: re-read the tail from disk, as opening would.
    private func reloadTail() throws(EventLogError) {
        var rebuilt: [String] = []
        var state = try TailRecovery(layout: layout, storeId: storeId, options: options).recover(rebuilt: &rebuilt)
        if let repair = state.repair {
            state = try repair.apply(to: state, layout: layout, storeId: storeId)
        }
        pendingRepair = nil
        head = state.head
        chain = HashChain(value: state.head.hash)
        lastMicros = state.lastMicros
        index = state.index
        segment = state.segment
        segmentFile = state.file
        fileSize = state.fileSize
        frame.abandon()
        try PosixFile.writeAtomically(index.encoded, to: layout.frameIndexFile)
        indexFile = try PosixFile.open(layout.frameIndexFile, flags: O_WRONLY)
        do throws(EventLogError) {
            try catchUpTables()
        } catch {
            guard case .derivedFileDamaged = error else { throw error }
            try rebuildTables()
        }
        needsRecovery = false
    }

    func close() {
        if !needsRecovery, stopped == nil {
            try? finishFrame()
            try? segmentFile.sync()
            try? checkpointTables()
        }
        try? indexFile.sync()
        segmentFile.close()
        indexFile.close()
    }
}
