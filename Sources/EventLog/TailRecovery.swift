import Foundation
import PosixFiles

/// What is known about the end of the log after reading its tail.
struct TailState {
    var head: LogHead
    var lastMicros: Int64
    var index: FrameIndex
    var segment: SegmentName
    var file: PosixFile
    /// Where the next write goes once `repair` is done: the end of the last whole commit (and of its frame).
    var fileSize: UInt64
    /// A torn write found at the tail (cut by the first append).
    var recovery: RecoveryReport?
    /// What the first append must do to the tail first. Opening never writes to the log: a store
    /// opened by a command that appends nothing keeps every byte of it.
    var repair: TailRepair?
}

/// A change the tail needs before the next append, left by a crash.
enum TailRepair: Equatable {
    /// The file ends on a block boundary inside a frame without an end mark: write the mark and
    /// the content checksum at the end of the file.
    case closeFrame(checksum: UInt32)
    /// A torn write: cut the file at `offset`, then close the frame it was in, if any.
    case cut(offset: UInt64, openFrameChecksum: UInt32?)
    /// The newest segment's creation was interrupted (its file is shorter than a header) or the
    /// store has no segment yet: write its header.
    case createSegment(SegmentName, chainBefore: [UInt8])
}

/// Reads the log from the last indexed frame to its end, without reading anything before it.
struct TailScan {
    let layout: StoreLayout
    let storeId: StoreID

    struct Outcome {
        var segments: [SegmentName]
        var index: FrameIndex
        /// What the store's records said was acknowledged, read before the scan.
        var evidence: AcknowledgedEvidence
        /// The scan of the last segment with a header (from its header or its first scanned frame);
        /// nil when there is none.
        var last: SegmentScanner.Result?
        var lastSegment: SegmentName
        var lastFile: PosixFile?
        /// A newest segment file shorter than a header (or, with no segment at all, the first one to create).
        var unfinished: SegmentName?
        var indexRebuilt: String?
        /// The first position the scan read (earlier commits' chain values were not recomputed).
        var scannedFrom: UInt64

        var head: LogHead {
            guard let last else { return .empty }
            return LogHead(position: last.nextPosition - 1, commits: last.commits, hash: last.chain.value)
        }

        /// Where the log's whole commits end: the segment and byte offset.
        var end: (segment: String, offset: UInt64) {
            guard let last, let lastFile else { return (lastSegment.fileName, 0) }
            if case .torn(let clean, _, _, _) = last.ending { return (lastSegment.fileName, clean) }
            let size: UInt64 = (try? lastFile.size()) ?? 0
            return (lastSegment.fileName, size)
        }

        /// Checks the log's end against the store's evidence of what was acknowledged.
        func checkEvidence(layout: StoreLayout) throws(EventLogError) {
            try evidence.check(head: head, segment: end.segment, offset: end.offset, scannedFrom: scannedFrom,
                               chainAtMark: last?.watchedChain, markEndsCommit: last?.watchedPositionEndsCommit ?? false)
        }
    }

    /// `writable` opens the last segment read-write (for recovery). `watchPosition` asks for the
    /// chain value after the commit ending there (the acknowledged head's).
    func run(writable: Bool) throws(EventLogError) -> Outcome {
        var loadedIndex: FrameIndex?
        var indexRebuilt: String?
        var index: FrameIndex
        do throws(EventLogError) {
            loadedIndex = try FrameIndex.load(layout.frameIndexFile)
        } catch {
            indexRebuilt = layout.frameIndexFile + " (\(error))"
        }
        // The evidence is read before the log: a writer appending meanwhile only moves the log past it.
        let evidence = AcknowledgedEvidence.gather(layout: layout, storeId: storeId, index: loadedIndex)
        let watchPosition = evidence.acknowledged?.position
        var segments = try layout.segments()
        // A newest segment shorter than its header is a seal (or the store's creation) that a crash
        // interrupted: the log ends before it. Whether that loses anything is the evidence's call.
        var unfinished: SegmentName?
        if let last = segments.last, try PosixFile.openForReading(layout.segmentPath(last.fileName)).size() < UInt64(SegmentHeader.encodedLength) {
            unfinished = last
            segments.removeLast()
        }
        guard !segments.isEmpty else {
            let first = unfinished ?? SegmentName(firstPosition: 1)
            guard first.firstPosition == 1 else {
                throw .corrupt(LogLocation(segment: first.fileName, fileOffset: 0, position: 1),
                               reason: "a segment is missing: the only segment starts at position \(first.firstPosition), the log needs 1")
            }
            return Outcome(segments: [], index: FrameIndex(), evidence: evidence, last: nil, lastSegment: first, lastFile: nil,
                           unfinished: first, indexRebuilt: nil, scannedFrom: 1)
        }
        if let loaded = loadedIndex, Self.isPlausible(loaded, segments: segments, layout: layout) {
            index = loaded
        } else {
            if loadedIndex != nil { indexRebuilt = layout.frameIndexFile + " (does not match the segments)" }
            index = FrameIndex()
        }
        // Start at the last indexed frame, or at the first segment's header.
        var startSegment = 0
        var start: SegmentScanner.Start
        if let entry = index.entries.last, let at = segments.firstIndex(where: { $0.firstPosition == entry.segmentFirstPosition }) {
            startSegment = at
            start = .init(offset: entry.frameOffset, position: entry.firstPosition, chain: HashChain(value: entry.chainBefore),
                          commits: entry.commitsBefore)
            index.removeEntries(fromFrame: entry)
        } else {
            if !index.entries.isEmpty { indexRebuilt = layout.frameIndexFile + " (names a missing segment)" }
            index = FrameIndex()
            start = .init(offset: UInt64(SegmentHeader.encodedLength), position: 1, chain: HashChain(), commits: 0)
        }
        let scannedFrom = start.position
        var at = startSegment
        while true {
            let name = segments[at]
            let isLast = at == segments.count - 1
            let file = try PosixFile.open(layout.segmentPath(name.fileName), flags: writable && isLast ? O_RDWR : O_RDONLY)
            var scanner = SegmentScanner(file: file, segment: name)
            scanner.watchPosition = watchPosition
            if start.offset == UInt64(SegmentHeader.encodedLength) {
                let header = try scanner.header(expectedStoreId: storeId)
                guard header.firstPosition == start.position else {
                    throw .corrupt(LogLocation(segment: name.fileName, fileOffset: 0, position: start.position),
                                   reason: "a segment is missing: this one starts at position \(header.firstPosition), the log needs \(start.position)")
                }
                guard header.chainBefore == start.chain.value else {
                    throw .corrupt(LogLocation(segment: name.fileName, fileOffset: 0, position: start.position),
                                   reason: "the hash chain does not continue from the previous segment")
                }
            }
            let result = try scanner.scan(from: start)
            for frame in result.frames { index.append(frame) }
            if isLast {
                if let unfinished {
                    guard result.ending == .frameBoundary else {
                        throw .corrupt(LogLocation(segment: name.fileName, fileOffset: try file.size(), position: result.nextPosition),
                                       reason: "a sealed segment does not end on a frame boundary (truncated?)")
                    }
                    guard unfinished.firstPosition == result.nextPosition else {
                        throw .corrupt(LogLocation(segment: unfinished.fileName, fileOffset: 0, position: result.nextPosition),
                                       reason: "the newest segment is empty and named for position \(unfinished.firstPosition), but the log before it ends at \(result.nextPosition - 1)")
                    }
                }
                return Outcome(segments: segments, index: index, evidence: evidence, last: result, lastSegment: name, lastFile: file,
                               unfinished: unfinished, indexRebuilt: indexRebuilt, scannedFrom: scannedFrom)
            }
            guard result.ending == .frameBoundary else {
                let offset: UInt64
                if case .torn(let clean, _, _, _) = result.ending { offset = clean } else { offset = try file.size() }
                throw .corrupt(LogLocation(segment: name.fileName, fileOffset: offset, position: result.nextPosition),
                               reason: "a sealed segment ends in the middle of a frame (truncated?)")
            }
            at += 1
            start = .init(offset: UInt64(SegmentHeader.encodedLength), position: result.nextPosition, chain: result.chain,
                          commits: result.commits)
        }
    }

    /// Cheap checks that the index describes these segments (each entry's segment exists and its
    /// frame offset lies inside the file). Anything deeper is `verify`'s job.
    static func isPlausible(_ index: FrameIndex, segments: [SegmentName], layout: StoreLayout) -> Bool {
        let names = Set(segments.map(\.firstPosition))
        var sizes: [UInt64: UInt64] = [:]
        for entry in index.entries.suffix(256) {
            guard names.contains(entry.segmentFirstPosition) else { return false }
            let size = sizes[entry.segmentFirstPosition] ?? {
                let path = layout.segmentPath(SegmentName(firstPosition: entry.segmentFirstPosition).fileName)
                var info = stat()
                return stat(path, &info) == 0 ? UInt64(info.st_size) : 0
            }()
            sizes[entry.segmentFirstPosition] = size
            guard entry.frameOffset >= UInt64(SegmentHeader.encodedLength), entry.frameOffset < size else { return false }
        }
        return true
    }
}

extension FrameIndex {
    /// Drops `entry` and every later one (they are re-derived by a scan from `entry`'s frame).
    mutating func removeEntries(fromFrame entry: Entry) {
        let kept = entries.filter { $0.firstPosition < entry.firstPosition }
        self = FrameIndex(entries: kept)
    }
}

/// Opening for writing: finds the end of the log and checks it against the store's evidence of
/// what was acknowledged; says what the first append must repair (a torn write to cut, a frame a
/// crash left open, a segment whose creation was interrupted) without writing anything itself.
struct TailRecovery {
    let layout: StoreLayout
    let storeId: StoreID
    let options: EventLogOptions

    init(layout: StoreLayout, storeId: StoreID, options: EventLogOptions) throws(EventLogError) {
        self.layout = layout
        self.storeId = storeId
        self.options = options
    }

    /// `confirmingEnd` skips the checks against the evidence (for `recover`, which reports them itself).
    func recover(rebuilt: inout [String], confirmingEnd: Bool = false) throws(EventLogError) -> TailState {
        var outcome = try TailScan(layout: layout, storeId: storeId).run(writable: true)
        if !confirmingEnd {
            try outcome.checkEvidence(layout: layout)
            if let reason = outcome.evidence.unconfirmedReason {
                // A store that never held a commit has nothing to lose; any other needs `recover`.
                guard outcome.head.position == 0, outcome.evidence.furthestClaim().position == 0 else {
                    throw .acknowledgedHeadUnknown(path: layout.acknowledgedFile, reason: reason, logPosition: outcome.head.position)
                }
            }
        }
        if let note = outcome.indexRebuilt { rebuilt.append(note) }
        if outcome.last == nil {
            // No segment with a header at all: the log holds nothing; write the first segment's header now.
            let first = SegmentName(firstPosition: 1)
            try TailRepair.writeSegmentHeader(first, chainBefore: HashChain.genesis, layout: layout, storeId: storeId)
            outcome = try TailScan(layout: layout, storeId: storeId).run(writable: true)
        }
        guard let result = outcome.last, let file = outcome.lastFile else {
            throw .notAStore(path: layout.root, reason: "its log/ directory has no segment")
        }
        var recovery: RecoveryReport?
        var repair: TailRepair?
        var fileSize = try file.size()
        switch result.ending {
        case .frameBoundary:
            break
        case .openFrame(_, let checksum):
            repair = .closeFrame(checksum: checksum)
            fileSize += 8
        case let .torn(cleanOffset, openFrame, bytesBeyond, commitsBeyond):
            repair = .cut(offset: cleanOffset, openFrameChecksum: openFrame?.checksum)
            fileSize = cleanOffset + (openFrame == nil ? 0 : 8)
            recovery = RecoveryReport(segment: outcome.lastSegment.fileName, cutAtOffset: cleanOffset, bytesCut: bytesBeyond,
                                      commitsCut: commitsBeyond, headPosition: result.nextPosition - 1)
        }
        if let unfinished = outcome.unfinished {
            // The scan checked that the sealed segment before it ends on a frame boundary.
            repair = .createSegment(unfinished, chainBefore: result.chain.value)
        }
        return TailState(head: outcome.head, lastMicros: result.lastMicros, index: outcome.index, segment: outcome.lastSegment,
                         file: file, fileSize: fileSize, recovery: recovery, repair: repair)
    }

    /// Rewrites the active segment into large frames when many small ones (one per short-lived
    /// writer process) have piled up, so compression does not depend on how events arrived.
    /// Content, positions and hashes are unchanged; the rewrite is atomic (new file, rename).
    func repackIfFragmented(_ state: inout TailState) throws(EventLogError) -> Bool {
        let frames = state.index.entries(ofSegment: state.segment.firstPosition)
        guard frames.count >= 32, state.fileSize / UInt64(frames.count) < UInt64(options.frameTargetBytes / 16) else { return false }
        try Repacker(layout: layout, storeId: storeId, frameTargetBytes: options.frameTargetBytes)
            .repack(segment: state.segment)
        var index = state.index
        index.removeEntries(ofSegmentFrom: state.segment.firstPosition)
        try PosixFile.writeAtomically(index.encoded, to: layout.frameIndexFile)
        return true
    }
}

extension TailRepair {
    /// Applies the repair to the tail described by `state` and returns the state after it.
    func apply(to state: TailState, layout: StoreLayout, storeId: StoreID) throws(EventLogError) -> TailState {
        var state = state
        switch self {
        case .closeFrame(let checksum):
            let end = try state.file.size()
            try Self.terminateFrame(file: state.file, at: end, checksum: checksum)
            state.fileSize = end + 8
        case let .cut(offset, openFrameChecksum):
            try state.file.truncate(to: offset)
            state.fileSize = offset
            if let openFrameChecksum {
                try Self.terminateFrame(file: state.file, at: offset, checksum: openFrameChecksum)
                state.fileSize += 8
            }
            try state.file.sync()
        case let .createSegment(name, chainBefore):
            state.file = try Self.writeSegmentHeader(name, chainBefore: chainBefore, layout: layout, storeId: storeId)
            state.segment = name
            state.fileSize = UInt64(SegmentHeader.encodedLength)
        }
        state.repair = nil
        return state
    }

    /// Writes a new segment file holding only its header (replacing a partial one), durably.
    @discardableResult
    static func writeSegmentHeader(_ name: SegmentName, chainBefore: [UInt8], layout: StoreLayout,
                                   storeId: StoreID) throws(EventLogError) -> PosixFile {
        // Written beside and renamed into place: readers never see a segment without its whole header.
        let header = SegmentHeader(storeId: storeId, firstPosition: name.firstPosition, chainBefore: chainBefore)
        try PosixFile.makeDirectory(layout.logDirectory)
        let path = layout.segmentPath(name.fileName)
        let temporary = path + ".tmp"
        let file = try PosixFile.open(temporary, flags: O_RDWR | O_CREAT | O_TRUNC)
        try file.write(header.encoded, at: 0)
        try file.sync()
        try PosixFile.rename(temporary, over: path)
        return file
    }

    /// Writes an end mark and the content checksum at `offset`, closing a frame left open.
    private static func terminateFrame(file: PosixFile, at offset: UInt64, checksum: UInt32) throws(EventLogError) {
        var bytes: [UInt8] = []
        bytes.appendLE(LZ4FrameFormat.endMark)
        bytes.appendLE(checksum)
        try file.write(bytes, at: offset)
        try file.sync()
    }
}
