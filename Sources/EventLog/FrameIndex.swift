import CChecksums
import PosixFiles

/// The sparse index: one entry per LZ4 frame, so that a read can start near any position and
/// opening a store reads only the last frame. Derived from the segments and rebuilt from them
/// when missing or damaged.
///
/// File: 16-byte header (`TLINDEX1` + 8 zero bytes), then 80-byte entries:
/// `u64 segment first position, u64 frame offset, u64 first position, i64 first recorded-at,
///  32 bytes chain value before the frame, u64 commits before the frame,
///  u32 crc32c of the 72 bytes before, u32 zero`.
struct FrameIndex: Sendable {
    struct Entry: Sendable, Hashable {
        var segmentFirstPosition: UInt64
        var frameOffset: UInt64
        var firstPosition: UInt64
        var firstRecordedAtMicros: Int64
        var chainBefore: [UInt8]
        var commitsBefore: UInt64

        static let encodedLength = 80

        func encode(into bytes: inout [UInt8]) {
            let start = bytes.count
            bytes.appendLE(segmentFirstPosition)
            bytes.appendLE(frameOffset)
            bytes.appendLE(firstPosition)
            bytes.appendLE(UInt64(bitPattern: firstRecordedAtMicros))
            bytes.append(contentsOf: chainBefore)
            bytes.appendLE(commitsBefore)
            let crc = bytes.withUnsafeBytes { teamlog_crc32c(0, $0.baseAddress! + start, 72) }
            bytes.appendLE(crc)
            bytes.appendLE(UInt32(0))
        }

        static func decode(_ raw: UnsafeRawBufferPointer, at offset: Int) -> Entry? {
            let crc = raw.loadUnaligned(fromByteOffset: offset + 72, as: UInt32.self).littleEndian
            guard crc == teamlog_crc32c(0, raw.baseAddress! + offset, 72) else { return nil }
            func u64(_ at: Int) -> UInt64 { raw.loadUnaligned(fromByteOffset: offset + at, as: UInt64.self).littleEndian }
            return Entry(segmentFirstPosition: u64(0), frameOffset: u64(8), firstPosition: u64(16),
                         firstRecordedAtMicros: Int64(bitPattern: u64(24)),
                         chainBefore: Array(UnsafeRawBufferPointer(rebasing: raw[(offset + 32)..<(offset + 64)])),
                         commitsBefore: u64(64))
        }
    }

    static let header: [UInt8] = Array("TLINDEX1".utf8) + [UInt8](repeating: 0, count: 8)

    private(set) var entries: [Entry] = []

    init(entries: [Entry] = []) { self.entries = entries }

    /// Loads the index file. A missing file gives nil; a damaged one throws.
    static func load(_ path: String) throws(EventLogError) -> FrameIndex? {
        guard PosixFile.exists(path) else { return nil }
        let file = try PosixFile.openForReading(path)
        let size = try file.size()
        let bytes = try file.readFully(count: Int(size), at: 0)
        guard bytes.count >= header.count, Array(bytes[0..<header.count]) == header else {
            throw .derivedFileDamaged(path: path, reason: "bad header")
        }
        // A crash may leave a partial last entry: ignore it (it is re-derived from the segment).
        let count = (bytes.count - header.count) / Entry.encodedLength
        var entries: [Entry] = []
        entries.reserveCapacity(count)
        let damaged: Int? = bytes.withUnsafeBytes { raw in
            for i in 0..<count {
                guard let entry = Entry.decode(raw, at: header.count + i * Entry.encodedLength) else { return i }
                entries.append(entry)
            }
            return nil
        }
        if let damaged { throw .derivedFileDamaged(path: path, reason: "entry \(damaged) fails its checksum") }
        for (a, b) in zip(entries, entries.dropFirst()) where b.firstPosition <= a.firstPosition {
            throw .derivedFileDamaged(path: path, reason: "entries are out of order")
        }
        return FrameIndex(entries: entries)
    }

    var encoded: [UInt8] {
        var bytes = Self.header
        for entry in entries { entry.encode(into: &bytes) }
        return bytes
    }

    mutating func append(_ entry: Entry) {
        entries.append(entry)
    }

    mutating func removeEntries(ofSegmentFrom segmentFirstPosition: UInt64) {
        entries.removeAll { $0.segmentFirstPosition >= segmentFirstPosition }
    }

    /// The last entry at or before `position`.
    func entry(atOrBefore position: UInt64) -> Entry? {
        lastEntry { $0.firstPosition <= position }
    }

    /// The last entry whose frame starts at or before `micros`.
    func entry(atOrBeforeMicros micros: Int64) -> Entry? {
        lastEntry { $0.firstRecordedAtMicros <= micros }
    }

    /// Binary search for the last entry satisfying `isAtOrBefore` (entries are ordered by position and time).
    private func lastEntry(where isAtOrBefore: (Entry) -> Bool) -> Entry? {
        var low = 0, high = entries.count
        while low < high {
            let mid = (low + high) / 2
            if isAtOrBefore(entries[mid]) { low = mid + 1 } else { high = mid }
        }
        return low == 0 ? nil : entries[low - 1]
    }

    func entries(ofSegment segmentFirstPosition: UInt64) -> [Entry] {
        entries.filter { $0.segmentFirstPosition == segmentFirstPosition }
    }
}
