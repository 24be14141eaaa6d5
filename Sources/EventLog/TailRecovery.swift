import Foundation

/// What is known about the end of the log after reading its tail.
struct TailState {
    var head: LogHead
    var lastMicros: Int64
    var index: FrameIndex
    var segment: SegmentName
    var file: PosixFile
    var fileSize: UInt64
    var recovery: RecoveryReport?
}

/// Reads the log from the last indexed frame to its end, without reading anything before it.
struct TailScan {
    let layout: StoreLayout
    let storeId: StoreID

    struct Outcome {
        var segments: [SegmentName]
        var index: FrameIndex
        /// The scan of the last segment (from its header or its first scanned frame).
        var last: SegmentScanner.Result
        var lastSegment: SegmentName
        var lastFile: PosixFile
        var indexRebuilt: String?
    }

    /// `writable` opens the last segment read-write (for recovery).
    func run(writable: Bool) throws(EventLogError) -> Outcome {
        let segments = try layout.segments()
        guard !segments.isEmpty else {
            throw .notAStore(path: layout.root, reason: "its log/ directory has no segment")
        }
        var indexRebuilt: String?
        var index: FrameIndex
        do throws(EventLogError) {
            if let loaded = try FrameIndex.load(layout.frameIndexFile), Self.isPlausible(loaded, segments: segments, layout: layout) {
                index = loaded
            } else {
                if PosixFile.exists(layout.frameIndexFile) { indexRebuilt = layout.frameIndexFile + " (does not match the segments)" }
                index = FrameIndex()
            }
        } catch {
            indexRebuilt = layout.frameIndexFile + " (\(error))"
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
        var at = startSegment
        while true {
            let name = segments[at]
            let isLast = at == segments.count - 1
            let file = try PosixFile.open(layout.segmentPath(name.fileName), flags: writable && isLast ? O_RDWR : O_RDONLY)
            let scanner = SegmentScanner(file: file, segment: name)
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
                return Outcome(segments: segments, index: index, last: result, lastSegment: name, lastFile: file, indexRebuilt: indexRebuilt)
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

/// Opening for writing: finds the end of the log, cuts a torn tail, closes a frame left open by a
/// crash, and drops a segment whose creation was interrupted.
struct TailRecovery {
    let layout: StoreLayout
    let storeId: StoreID
    let options: EventLogOptions

    init(layout: StoreLayout, storeId: StoreID, options: EventLogOptions) throws(EventLogError) {
        self.layout = layout
        self.storeId = storeId
        self.options = options
    }

    func recover(rebuilt: inout [String]) throws(EventLogError) -> TailState {
        try prepareLastSegment()
        let outcome = try TailScan(layout: layout, storeId: storeId).run(writable: true)
        if let note = outcome.indexRebuilt { rebuilt.append(note) }
        let file = outcome.lastFile
        var result = outcome.last
        var recovery: RecoveryReport?
        switch result.ending {
        case .frameBoundary:
            break
        case .openFrame(_, let checksum):
            try terminateFrame(file: file, at: try file.size(), checksum: checksum)
        case let .torn(cleanOffset, openFrame, bytesBeyond, commitsBeyond):
            try file.truncate(to: cleanOffset)
            if let openFrame { try terminateFrame(file: file, at: cleanOffset, checksum: openFrame.checksum) }
            try file.sync()
            recovery = RecoveryReport(segment: outcome.lastSegment.fileName, cutAtOffset: cleanOffset, bytesCut: bytesBeyond,
                                      commitsCut: commitsBeyond, headPosition: result.nextPosition - 1)
        }
        result.ending = .frameBoundary
        let head = LogHead(position: result.nextPosition - 1, commits: result.commits, hash: result.chain.value)
        return TailState(head: head, lastMicros: result.lastMicros, index: outcome.index, segment: outcome.lastSegment,
                         file: file, fileSize: try file.size(), recovery: recovery)
    }

    /// Makes sure the last segment at least has its header: a crash while a segment was being
    /// created leaves an empty or partial file, which is removed (or, for the first, rewritten).
    private func prepareLastSegment() throws(EventLogError) {
        var segments = try layout.segments()
        while let last = segments.last {
            let path = layout.segmentPath(last.fileName)
            let file = try PosixFile.openForReading(path)
            guard try file.size() < UInt64(SegmentHeader.encodedLength) else { return }
            if segments.count == 1 { break }
            PosixFile.remove(path)
            try PosixFile.syncDirectory(layout.logDirectory)
            segments.removeLast()
        }
        // No segment, or only a first one without a whole header: (re)create the first segment.
        let first = SegmentName(firstPosition: 1)
        let header = SegmentHeader(storeId: storeId, firstPosition: 1, chainBefore: HashChain.genesis)
        try PosixFile.writeAtomically(header.encoded, to: layout.segmentPath(first.fileName))
    }

    /// Writes an end mark and the content checksum at `offset`, closing a frame left open.
    private func terminateFrame(file: PosixFile, at offset: UInt64, checksum: UInt32) throws(EventLogError) {
        var bytes: [UInt8] = []
        bytes.appendLE(LZ4FrameFormat.endMark)
        bytes.appendLE(checksum)
        try file.write(bytes, at: offset)
        try file.sync()
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
