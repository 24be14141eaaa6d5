import Foundation
import PosixFiles

extension EventLog {
    /// Re-reads the whole log: every segment header, frame header and content checksum, every
    /// record checksum, position continuity and the hash chain. Throws `.corrupt` at the first bad
    /// record, naming the segment, byte offset and position; `.headHashMismatch` when
    /// `expectedHeadHash` (hex) is given and differs.
    ///
    /// It also checks the log against the store's evidence of what was acknowledged (the record of
    /// the last acknowledged commit, the sparse index, the stream and command tables): a log that
    /// ends before them lost acknowledged commits (`.acknowledgedCommitsMissing`), and one whose
    /// commit at the acknowledged position has another chain value was rewritten (`.corrupt`).
    /// `expectations` are chain values an auditor recorded earlier (a commit's last position and the
    /// chain value after it): each must still hold (`.expectationFailed`).
    public func verify(expectedHeadHash: String? = nil, expectations: [ChainExpectation] = [],
                       progress: ((LogProgress) -> Void)? = nil) throws(EventLogError) -> VerificationReport {
        var report = VerificationReport(segments: 0, frames: 0, commits: 0, events: 0, compressedBytes: 0,
                                        head: .empty, tornTail: nil, warnings: [])
        for stray in try layout.strayFiles() {
            report.warnings.append("stray file log/\(stray) is not a segment (move it out of the store)")
        }
        let loadedIndex = try? FrameIndex.load(layout.frameIndexFile)
        // Read before the log: a writer appending meanwhile only moves the log past it.
        let evidence = AcknowledgedEvidence.gather(layout: layout, storeId: storeId, index: loadedIndex ?? nil)
        let acknowledgedPosition = evidence.acknowledged?.position
        var chainAtAcknowledged: [UInt8]? = acknowledgedPosition == 0 ? HashChain.genesis : nil
        var expected: [UInt64: [UInt8]] = [:]
        var found: [UInt64: [UInt8]] = [:]
        for expectation in expectations {
            if expectation.position == 0 { found[0] = HashChain.genesis }
            expected[expectation.position] = expectation.hash
        }
        let index = LogReaderState.loadIndex(layout: layout)
        var indexed: [UInt64: FrameIndex.Entry] = [:]
        for entry in index.entries { indexed[entry.firstPosition] = entry }
        let expectedHead = try head().position
        let segments = try layout.segments()
        var chain = HashChain()
        var position: UInt64 = 1
        var commits: UInt64 = 0
        var indexMismatches = 0
        for (at, name) in segments.enumerated() {
            let file = try PosixFile.openForReading(layout.segmentPath(name.fileName))
            var scanner = SegmentScanner(file: file, segment: name)
            scanner.checkContentChecksums = true
            let header = try scanner.header(expectedStoreId: storeId)
            guard header.firstPosition == position else {
                throw .corrupt(LogLocation(segment: name.fileName, fileOffset: 0, position: position),
                               reason: "a segment is missing: this one starts at position \(header.firstPosition), the log needs \(position)")
            }
            guard header.chainBefore == chain.value else {
                throw .corrupt(LogLocation(segment: name.fileName, fileOffset: 0, position: position),
                               reason: "the hash chain does not continue from the previous segment")
            }
            let compressed = try file.size()
            var lastProgress = Date()
            let result = try scanner.scan(from: .init(offset: UInt64(SegmentHeader.encodedLength), position: position,
                                                      chain: chain, commits: commits), visit: { record throws(EventLogError) in
                do throws(RecordDecodingFailure) {
                    _ = try CommitRecordReader.decode(in: record.bytes, at: 0, size: record.bytes.count)
                } catch {
                    throw .corrupt(LogLocation(segment: name.fileName, fileOffset: 0, position: record.firstPosition),
                                   reason: "the commit record does not decode: \(error)")
                }
                if let progress, Date().timeIntervalSince(lastProgress) > 0.1 {
                    lastProgress = Date()
                    progress(LogProgress(position: record.firstPosition, headPosition: expectedHead,
                                         compressedBytesRead: report.compressedBytes))
                }
            }, committed: { last, chain in
                if last == acknowledgedPosition { chainAtAcknowledged = chain.value }
                if expected[last] != nil { found[last] = chain.value }
            })
            for frame in result.frames {
                if let entry = indexed[frame.firstPosition], entry != frame { indexMismatches += 1 }
            }
            report.segments += 1
            report.frames += result.frames.count
            report.events += result.events
            report.compressedBytes += compressed
            chain = result.chain
            position = result.nextPosition
            commits = result.commits
            let isLast = at == segments.count - 1
            switch result.ending {
            case .frameBoundary:
                break
            case .openFrame:
                if !isLast {
                    throw .corrupt(LogLocation(segment: name.fileName, fileOffset: compressed, position: position),
                                   reason: "a sealed segment ends inside an unterminated frame")
                }
            case let .torn(cleanOffset, _, bytesBeyond, commitsBeyond):
                guard isLast else {
                    throw .corrupt(LogLocation(segment: name.fileName, fileOffset: cleanOffset, position: position),
                                   reason: "a sealed segment ends in the middle of a write (truncated?)")
                }
                report.tornTail = RecoveryReport(segment: name.fileName, cutAtOffset: cleanOffset, bytesCut: bytesBeyond,
                                                 commitsCut: commitsBeyond, headPosition: position - 1)
            }
        }
        if indexMismatches > 0 {
            report.warnings.append("index/frames.idx disagrees with the segments in \(indexMismatches) entries; it is rebuilt when the store is next opened for writing")
        }
        report.warnings += checkAuditIndex()
        report.commits = commits
        report.head = LogHead(position: position - 1, commits: commits, hash: chain.value)
        let lastSegment = segments.last?.fileName ?? StoreLayout.segmentName(firstPosition: 1)
        let endOffset = report.tornTail?.cutAtOffset
            ?? (segments.last.flatMap { try? PosixFile.openForReading(layout.segmentPath($0.fileName)).size() } ?? 0)
        try evidence.check(head: report.head, segment: lastSegment, offset: endOffset, scannedFrom: 1,
                           chainAtMark: chainAtAcknowledged, markEndsCommit: chainAtAcknowledged != nil)
        report.acknowledged = evidence.acknowledged
        if let reason = evidence.unconfirmedReason {
            report.warnings.append("the record of the last acknowledged commit (\(layout.acknowledgedFile)) cannot be used: \(reason); "
                + "the log's end (position \(report.head.position)) could not be checked against it, and no writer appends until "
                + "`teamlog recover` has checked the log and recorded its end")
        }
        for (position, hash) in expected.sorted(by: { $0.key < $1.key }) {
            guard position <= report.head.position else {
                throw .expectationFailed(position: position, reason: "the log ends at position \(report.head.position): "
                    + "the commits recorded up to position \(position) are missing")
            }
            guard let actual = found[position] else {
                throw .expectationFailed(position: position, reason: "no commit ends at position \(position); a recorded pair is a "
                    + "commit's last position and the chain value after it, as `teamlog verify` prints them (head: POSITION:HASH)")
            }
            guard actual == hash else {
                throw .expectationFailed(position: position, reason: "the log's chain value there is \(LogHead.hex(actual)), "
                    + "not the recorded \(LogHead.hex(hash)): the log up to that position was changed")
            }
        }
        report.expectationsChecked = expected.count
        if let expectedHeadHash, expectedHeadHash.lowercased() != report.head.hashHex {
            throw .headHashMismatch(expected: expectedHeadHash, actual: report.head.hashHex, position: report.head.position)
        }
        return report
    }

    /// Counts and sizes from a full read of the log.
    public func statistics(progress: ((LogProgress) -> Void)? = nil) throws(EventLogError) -> LogStatistics {
        var stats = LogStatistics(segments: 0, commits: 0, events: 0, compressedBytes: 0, decompressedBytes: 0,
                                  payloadBytes: 0, eventsPerType: [:], streams: 0, firstRecordedAtMicros: nil,
                                  lastRecordedAtMicros: nil)
        for name in try layout.segments() {
            stats.segments += 1
            stats.compressedBytes += try PosixFile.openForReading(layout.segmentPath(name.fileName)).size()
        }
        let head = try head()
        let cursor = try LogCursor(layout: layout, storeId: storeId, index: FrameIndex(), from: 1, filter: .all)
        var lastProgress = Date()
        while let (record, size) = try cursor.nextRecordAndSize() {
            stats.commits += 1
            stats.decompressedBytes += UInt64(size)
            if stats.firstRecordedAtMicros == nil { stats.firstRecordedAtMicros = record.recordedAtMicros }
            stats.lastRecordedAtMicros = record.recordedAtMicros
            for event in record.events {
                stats.events += 1
                stats.payloadBytes += UInt64(event.payload.count)
                stats.eventsPerType[event.type, default: 0] += 1
                if event.streamVersion == 1 { stats.streams += 1 }
            }
            if let progress, Date().timeIntervalSince(lastProgress) > 0.1 {
                lastProgress = Date()
                progress(LogProgress(position: record.firstPosition, headPosition: head.position, compressedBytesRead: 0))
            }
        }
        return stats
    }
}
