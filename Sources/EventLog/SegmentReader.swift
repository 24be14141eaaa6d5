import CLZ4
import CChecksums
import PosixFiles

/// Reads one segment file sequentially from a frame boundary, decompressing block by block, and
/// releases the commit records it holds — only whole, checksummed records that end on a block
/// boundary (the unit of every write), so a reader never sees part of a commit.
///
/// At the end of the file it says how the segment ends: on a frame boundary, inside a frame that
/// is still open (being written, or left open by a crash), or in a torn write that opening for
/// writing cuts off.
final class SegmentReader {
    enum Ending: Equatable {
        /// The file ends after a complete frame (or is empty after its header).
        case frameBoundary
        /// The file ends on a block boundary inside a frame that has no end mark yet.
        case openFrame(frameOffset: UInt64, checksumSoFar: UInt32)
        /// The file ends in the middle of a write: everything from `cleanOffset` on is to be cut.
        case torn(cleanOffset: UInt64, openFrame: (offset: UInt64, checksum: UInt32)?, bytesBeyond: UInt64, commitsBeyond: Int)

        static func == (lhs: Ending, rhs: Ending) -> Bool {
            switch (lhs, rhs) {
            case (.frameBoundary, .frameBoundary): return true
            case let (.openFrame(a, b), .openFrame(c, d)): return a == c && b == d
            case let (.torn(a, _, b, c), .torn(d, _, e, f)): return a == d && b == e && c == f
            default: return false
            }
        }
    }

    /// A released record: its bytes are valid until the next call to `next()`.
    struct Record {
        var bytes: UnsafeRawBufferPointer
        var firstPosition: UInt64
        var eventCount: Int
        /// The file offset of the frame this record opens, when it is its frame's first record.
        var startsFrameAt: UInt64?
    }

    enum Step {
        case record(Record)
        case end(Ending)
    }

    let file: PosixFile
    let segment: String
    /// Verify each frame's content checksum (XXH32) when its end mark is read.
    let checkContentChecksums: Bool
    /// Compute the content checksum (needed to verify frames, and to terminate a frame left open).
    let computeChecksums: Bool
    /// Check every record's CRC-32C even where block checksums already guard the bytes.
    let checkRecordChecksums: Bool

    // Compressed input window.
    private let input = RawBuffer(capacity: 1 << 20)
    private var inputStart = 0          // first unconsumed byte in `input`
    private var inputFileOffset: UInt64 // file offset of input[0]
    private var atEndOfFile = false

    // Decompressed output: [history | released-but-unread | unreleased | free]
    private let output: RawBuffer
    private var frameOutputStart = 0    // where the current frame's output began (dictionary limit)
    private var readPosition = 0        // next record to hand out
    private var releasedEnd = 0         // records before this are released
    private var scanPosition = 0        // records before this are complete and checked
    private var outputEnd = 0

    private enum State { case expectFrame, expectBlock, expectChecksum }
    private var state = State.expectFrame
    private var frame: LZ4FrameFormat.FrameDescriptor?
    private var frameOffset: UInt64 = 0
    private var frameChecksum = teamlog_xxh32_state()
    private var frameReported = false
    /// File offset of the block in which the record at `scanPosition` starts.
    private var pendingRecordBlockOffset: UInt64 = 0
    private var frameStarts: [UInt64: UInt64] = [:]
    private var lastCleanOffset: UInt64
    private var unreleasedCommits = 0
    /// The position the next record must start with (0 = take the first record's).
    private(set) var expectedPosition: UInt64
    private(set) var framesSeen = 0

    /// - Parameters:
    ///   - startOffset: a frame boundary (after the segment header, or an index entry's frame offset).
    ///   - expectedPosition: the first position expected there (0 = accept whatever comes).
    init(file: PosixFile, segment: String, startOffset: UInt64, expectedPosition: UInt64, checkContentChecksums: Bool = false,
         computeChecksums: Bool = true) {
        self.computeChecksums = computeChecksums || checkContentChecksums
        self.checkRecordChecksums = computeChecksums || checkContentChecksums
        self.file = file
        self.segment = segment
        self.inputFileOffset = startOffset
        self.lastCleanOffset = startOffset
        self.expectedPosition = expectedPosition
        self.checkContentChecksums = checkContentChecksums
        self.output = RawBuffer(capacity: 4 << 20)
        self.output.extend(by: 4 << 20)
    }

    /// The compressed offset of the next byte to decode.
    private var consumedOffset: UInt64 { inputFileOffset + UInt64(inputStart) }

    private func corrupt(_ reason: String, at offset: UInt64) -> EventLogError {
        .corrupt(LogLocation(segment: segment, fileOffset: offset, position: expectedPosition), reason: reason)
    }

    /// The next released record, or how the file ends.
    func next() throws(EventLogError) -> Step {
        while true {
            if readPosition < releasedEnd {
                let size = Int(output.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: readPosition, as: UInt32.self).littleEndian }) + 4
                let start = readPosition
                readPosition += size
                var record = output.withUnsafeBytes { raw in
                    Record(bytes: UnsafeRawBufferPointer(rebasing: raw[start..<(start + size)]),
                           firstPosition: CommitRecordReader.firstPosition(in: raw, at: start),
                           eventCount: Int(CommitRecordReader.eventCount(in: raw, at: start)))
                }
                if !frameStarts.isEmpty, let offset = frameStarts.removeValue(forKey: record.firstPosition) {
                    record.startsFrameAt = offset
                }
                return .record(record)
            }
            if let ending = try decodeMore() { return .end(ending) }
        }
    }

    /// Decodes the next block (or frame header / end mark). Returns the ending at end of file.
    private func decodeMore() throws(EventLogError) -> Ending? {
        switch state {
        case .expectFrame: return try readFrameHeader()
        case .expectBlock:
            guard let frame else {
                state = .expectFrame
                return nil
            }
            return try readBlock(of: frame)
        case .expectChecksum: return try readFrameChecksum()
        }
    }

    /// A frame's header (or a skippable frame, or the zeros a preallocated tail holds).
    private func readFrameHeader() throws(EventLogError) -> Ending? {
        guard try ensureInput(8) else { return try endOfFile(inStructure: availableInput > 0) }
        let magic = loadInput(UInt32.self, at: 0)
        if LZ4FrameFormat.isSkippable(magic) {
            let size = Int(loadInput(UInt32.self, at: 4))
            guard try ensureInput(8 + size) else { return try endOfFile(inStructure: true) }
            inputStart += 8 + size
            lastCleanOffset = consumedOffset
            return nil
        }
        guard magic == LZ4FrameFormat.frameMagic else {
            if try restIsZeros() { return try endOfFile(inStructure: true) }
            throw corrupt("no LZ4 frame starts here (magic 0x\(String(magic, radix: 16)))", at: consumedOffset)
        }
        _ = try ensureInput(19)
        let parsed = input.withUnsafeBytes { raw in
            LZ4FrameFormat.parseHeader(UnsafeRawBufferPointer(rebasing: raw[inputStart..<input.count]))
        }
        switch parsed {
        case .incomplete: return try endOfFile(inStructure: true)
        case .invalid(let reason): throw corrupt(reason, at: consumedOffset)
        case .frame(let descriptor):
            frame = descriptor
            frameOffset = consumedOffset
            inputStart += descriptor.headerLength
            teamlog_xxh32_reset(&frameChecksum, 0)
            startFrameOutput()
            frameReported = false
            framesSeen += 1
            state = .expectBlock
            return nil
        }
    }

    /// The next block of the open frame, or its end mark; checks, decompresses and scans the block.
    private func readBlock(of frame: LZ4FrameFormat.FrameDescriptor) throws(EventLogError) -> Ending? {
        guard try ensureInput(4) else { return try endOfFile(inStructure: availableInput > 0) }
        let header = loadInput(UInt32.self, at: 0)
        if header == LZ4FrameFormat.endMark {
            inputStart += 4
            state = .expectChecksum
            if !frame.contentChecksum { return try finishFrame(stored: nil) }
            return nil
        }
        let blockOffset = consumedOffset
        let isRaw = header & LZ4FrameFormat.uncompressedBlockFlag != 0
        let size = Int(header & ~LZ4FrameFormat.uncompressedBlockFlag)
        guard size <= frame.maxBlockSize else {
            if try restIsZeros() { return try endOfFile(inStructure: true) }
            throw corrupt("block size \(size) exceeds the frame's maximum \(frame.maxBlockSize)", at: blockOffset)
        }
        let total = 4 + size + (frame.blockChecksum ? 4 : 0)
        guard try ensureInput(total) else { return try endOfFile(inStructure: true) }
        if frame.blockChecksum {
            let stored = loadInput(UInt32.self, at: 4 + size)
            let computed = input.withUnsafeBytes { teamlog_xxh32($0.baseAddress! + inputStart + 4, size, 0) }
            guard stored == computed else { throw corrupt("block checksum mismatch", at: blockOffset) }
        }
        guard let produced = try decompressBlock(frame, size: size, isRaw: isRaw, at: blockOffset) else {
            return try endOfFile(inStructure: true)
        }
        if scanPosition == outputEnd { pendingRecordBlockOffset = blockOffset }
        outputEnd += produced
        inputStart += total
        try scanRecords(blockOffset: blockOffset)
        return nil
    }

    /// Decompresses (or copies, for a raw block) the block at the input's start into the output; its
    /// size produced, or nil when it does not decompress and only zeros follow (the end of the file).
    private func decompressBlock(_ frame: LZ4FrameFormat.FrameDescriptor, size: Int, isRaw: Bool,
                                 at blockOffset: UInt64) throws(EventLogError) -> Int? {
        reserveOutput(frame.maxBlockSize)
        let produced: Int
        if isRaw {
            output.withUnsafeMutableBytes { out in
                input.withUnsafeBytes { inp in
                    (out.baseAddress! + outputEnd).copyMemory(from: inp.baseAddress! + inputStart + 4, byteCount: size)
                }
            }
            produced = size
        } else {
            let dictionaryStart = frame.blockIndependent ? outputEnd : max(frameOutputStart, outputEnd - (64 << 10))
            produced = Int(output.withUnsafeMutableBytes { out in
                input.withUnsafeBytes { inp in
                    let base = out.baseAddress!.assumingMemoryBound(to: CChar.self)
                    return LZ4_decompress_safe_usingDict(
                        inp.baseAddress!.advanced(by: inputStart + 4).assumingMemoryBound(to: CChar.self),
                        base + outputEnd, Int32(size), Int32(frame.maxBlockSize),
                        base + dictionaryStart, Int32(outputEnd - dictionaryStart))
                }
            })
            guard produced >= 0 else {
                if try restIsZeros() { return nil }
                throw corrupt("LZ4 block does not decompress", at: blockOffset)
            }
        }
        return produced
    }

    /// The frame's content checksum after its end mark.
    private func readFrameChecksum() throws(EventLogError) -> Ending? {
        guard try ensureInput(4) else { return try endOfFile(inStructure: true) }
        let stored = loadInput(UInt32.self, at: 0)
        inputStart += 4
        return try finishFrame(stored: stored)
    }

    private func finishFrame(stored: UInt32?) throws(EventLogError) -> Ending? {
        if let stored, checkContentChecksums {
            let computed = teamlog_xxh32_digest(&frameChecksum)
            guard stored == computed else { throw corrupt("LZ4 frame content checksum mismatch", at: frameOffset) }
        }
        guard scanPosition == outputEnd else {
            throw corrupt("the frame ends inside a commit record", at: frameOffset)
        }
        state = .expectFrame
        frame = nil
        lastCleanOffset = consumedOffset
        return nil
    }

    /// Checks the complete records after `scanPosition`; releases them when the block ends on a record boundary.
    private func scanRecords(blockOffset: UInt64) throws(EventLogError) {
        while true {
            let outcome: Result<Int, RecordDecodingFailure> = output.withUnsafeBytes { raw in
                let view = UnsafeRawBufferPointer(rebasing: raw[0..<outputEnd])
                do throws(RecordDecodingFailure) {
                    let size = try CommitRecordReader.recordSize(in: view, at: scanPosition)
                    // Block checksums already cover every compressed byte; the record CRC is checked again
                    // wherever the frame may lack them (frames from elsewhere) and by verify and recovery.
                    if checkRecordChecksums || !(frame?.blockChecksum ?? false) {
                        try CommitRecordReader.checkCRC(in: view, at: scanPosition, size: size)
                    }
                    return .success(size)
                } catch { return .failure(error) }
            }
            switch outcome {
            case .failure(.incomplete):
                return
            case .failure(.invalid(let reason)):
                throw corrupt(reason, at: pendingRecordBlockOffset)
            case .success(let size):
                let (first, count) = output.withUnsafeBytes { raw in
                    (CommitRecordReader.firstPosition(in: raw, at: scanPosition), CommitRecordReader.eventCount(in: raw, at: scanPosition))
                }
                if expectedPosition != 0, first != expectedPosition {
                    throw corrupt("expected a commit at position \(expectedPosition), found position \(first)", at: pendingRecordBlockOffset)
                }
                guard count >= 1 else { throw corrupt("a commit with no events", at: pendingRecordBlockOffset) }
                if !frameReported {
                    frameReported = true
                    frameStarts[first] = frameOffset
                }
                expectedPosition = first + UInt64(count)
                scanPosition += size
                pendingRecordBlockOffset = blockOffset
                unreleasedCommits += 1
                if scanPosition == outputEnd {
                    if computeChecksums {
                        output.withUnsafeBytes { teamlog_xxh32_update(&frameChecksum, $0.baseAddress! + releasedEnd, scanPosition - releasedEnd) }
                    }
                    releasedEnd = scanPosition
                    unreleasedCommits = 0
                    lastCleanOffset = consumedOffset
                    return
                }
            }
        }
    }

    /// The file has no more bytes: decide how it ends.
    private func endOfFile(inStructure: Bool) throws(EventLogError) -> Ending {
        let fileEnd = inputFileOffset + UInt64(input.count)
        let unreleasedBytes = outputEnd - releasedEnd
        if !inStructure && unreleasedBytes == 0 {
            if state == .expectFrame { return .frameBoundary }
            return .openFrame(frameOffset: frameOffset, checksumSoFar: checksumOfReleased())
        }
        let partial = (outputEnd > scanPosition || inStructure) ? 1 : 0
        let open: (offset: UInt64, checksum: UInt32)? = state != .expectFrame && lastCleanOffset > frameOffset
            ? (frameOffset, checksumOfReleased()) : nil
        return .torn(cleanOffset: lastCleanOffset, openFrame: open,
                     bytesBeyond: fileEnd - lastCleanOffset, commitsBeyond: unreleasedCommits + partial)
    }

    /// XXH32 of the current frame's released content (to terminate a frame cut at `lastCleanOffset`).
    private func checksumOfReleased() -> UInt32 {
        var state = frameChecksum
        return teamlog_xxh32_digest(&state)
    }

    private var availableInput: Int { input.count - inputStart }

    /// After an end of file: look again for bytes appended since (a writer may still be writing).
    func resumeAfterEndOfFile() {
        atEndOfFile = false
    }

    private func loadInput<T: FixedWidthInteger>(_: T.Type, at offset: Int) -> T {
        input.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: inputStart + offset, as: T.self).littleEndian }
    }

    /// Makes at least `count` unconsumed input bytes available; false at end of file.
    private func ensureInput(_ count: Int) throws(EventLogError) -> Bool {
        while availableInput < count && !atEndOfFile {
            if inputStart > 0 {
                input.removeFirst(inputStart)
                inputFileOffset += UInt64(inputStart)
                inputStart = 0
            }
            let chunk = max(count - availableInput, 1 << 20)
            let start = input.count
            input.extend(by: chunk)
            let file = self.file
            let readAt = inputFileOffset + UInt64(start)
            let n = input.withUnsafeMutableBytes { raw in file.readRaw(into: raw.baseAddress! + start, count: chunk, at: readAt) }
            guard n >= 0 else { throw .io(operation: "read", path: file.path, errno: Int32(-n)) }
            input.removeLast(chunk - n)
            if n == 0 { atEndOfFile = true }
        }
        return availableInput >= count
    }

    /// True when every byte from the current input position to the end of the file is zero
    /// (a file extended by a crash but never written): a torn tail, not damage.
    private func restIsZeros() throws(EventLogError) -> Bool {
        while try ensureInput(availableInput + 1) {}
        return input.allZero(from: inputStart)
    }

    /// Starts the output of a new frame: the previous frame's bytes are no longer a dictionary.
    private func startFrameOutput() {
        compactOutput(keepFrom: readPosition)
        frameOutputStart = outputEnd
    }

    /// Ensures room for one more block, dropping bytes that are read and not needed as dictionary.
    private func reserveOutput(_ blockSize: Int) {
        if output.capacity - outputEnd >= blockSize { output.extend(by: output.capacity - output.count); return }
        let keep = min(readPosition, max(frameOutputStart, outputEnd - (64 << 10)))
        compactOutput(keepFrom: keep)
        output.reserve(outputEnd + blockSize)
        output.extend(by: output.capacity - output.count)
    }

    private func compactOutput(keepFrom: Int) {
        guard keepFrom > 0 else { return }
        output.withUnsafeMutableBytes { raw in
            raw.baseAddress!.copyMemory(from: raw.baseAddress! + keepFrom, byteCount: outputEnd - keepFrom)
        }
        outputEnd -= keepFrom
        readPosition -= keepFrom
        releasedEnd -= keepFrom
        scanPosition -= keepFrom
        frameOutputStart = max(0, frameOutputStart - keepFrom)
    }
}
