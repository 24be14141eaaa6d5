import PosixFiles

/// Walks a segment from a frame boundary to its end: extends the hash chain over every commit,
/// counts, finds the frames, and says how the file ends. Used by recovery, by a reader's `head()`,
/// by index rebuilds and by `verify`.
struct SegmentScanner {
    /// Where a scan starts and what is known there.
    struct Start {
        var offset: UInt64
        var position: UInt64
        var chain: HashChain
        var commits: UInt64
    }

    struct Result {
        var chain: HashChain
        /// The position after the last whole commit.
        var nextPosition: UInt64
        var commits: UInt64
        var events: UInt64
        var lastMicros: Int64
        var frames: [FrameIndex.Entry]
        var ending: SegmentReader.Ending
        var decompressedBytes: UInt64
        /// The chain value after the commit ending at `watchPosition`, when the scan passed it.
        var watchedChain: [UInt8]?
        /// Whether a commit ended exactly at `watchPosition` (false also when the scan did not reach it).
        var watchedPositionEndsCommit = false
    }

    let file: PosixFile
    let segment: SegmentName
    var checkContentChecksums = false
    /// A position whose chain value the scan records (the acknowledged head's, to compare).
    var watchPosition: UInt64?

    /// Scans from `start`; `visit` sees each commit's record bytes (valid only during the call).
    /// `committed` sees each commit's last position and the chain value after it.
    func scan(from start: Start,
              visit: ((SegmentReader.Record) throws(EventLogError) -> Void)? = nil,
              committed: ((UInt64, HashChain) throws(EventLogError) -> Void)? = nil) throws(EventLogError) -> Result {
        let reader = SegmentReader(file: file, segment: segment.fileName, startOffset: start.offset,
                                   expectedPosition: start.position, checkContentChecksums: checkContentChecksums)
        var result = Result(chain: start.chain, nextPosition: start.position, commits: start.commits, events: 0,
                            lastMicros: 0, frames: [], ending: .frameBoundary, decompressedBytes: 0)
        while true {
            switch try reader.next() {
            case .record(let record):
                let micros = CommitRecordReader.recordedAt(in: record.bytes, at: 0)
                if let frameOffset = record.startsFrameAt {
                    result.frames.append(FrameIndex.Entry(
                        segmentFirstPosition: segment.firstPosition, frameOffset: frameOffset,
                        firstPosition: record.firstPosition, firstRecordedAtMicros: micros,
                        chainBefore: result.chain.value, commitsBefore: result.commits))
                }
                try visit?(record)
                result.chain.extend(with: record.bytes)
                result.commits += 1
                result.events += UInt64(record.eventCount)
                result.nextPosition = record.firstPosition + UInt64(record.eventCount)
                try committed?(result.nextPosition - 1, result.chain)
                if let watchPosition, result.nextPosition - 1 == watchPosition {
                    result.watchedChain = result.chain.value
                    result.watchedPositionEndsCommit = true
                }
                result.lastMicros = micros
                result.decompressedBytes += UInt64(record.bytes.count)
            case .end(let ending):
                result.ending = ending
                return result
            }
        }
    }

    /// Reads and checks the segment's header.
    func header(expectedStoreId: StoreID?) throws(EventLogError) -> SegmentHeader {
        let bytes = try file.readFully(count: SegmentHeader.encodedLength, at: 0)
        switch SegmentHeader.decode(bytes) {
        case .success(let header):
            if let expectedStoreId, header.storeId != expectedStoreId {
                throw .corrupt(LogLocation(segment: segment.fileName, fileOffset: 0, position: segment.firstPosition),
                               reason: "the segment belongs to another store (\(header.storeId))")
            }
            guard header.firstPosition == segment.firstPosition else {
                throw .corrupt(LogLocation(segment: segment.fileName, fileOffset: 0, position: segment.firstPosition),
                               reason: "the header says the segment starts at position \(header.firstPosition)")
            }
            return header
        case .failure(.incomplete):
            throw .corrupt(LogLocation(segment: segment.fileName, fileOffset: 0, position: segment.firstPosition),
                           reason: "the segment header is incomplete")
        case .failure(.invalid(let reason)):
            throw .corrupt(LogLocation(segment: segment.fileName, fileOffset: 0, position: segment.firstPosition), reason: reason)
        }
    }
}
