import CChecksums
import Foundation
import PosixFiles

/// Writes one audit index run: lists added in ascending key order, then `finish` writes the bucket table,
/// the page CRC table and last the header, syncs the file and renames it from `<name>.tmp` to its name.
/// A kill before the rename leaves only a `.tmp` file, which no reader takes for a run.
struct AuditIndexRunWriter {
    private let file: PosixFile
    private let temporaryPath: String
    private let finalPath: String
    private var pending: [UInt8] = []
    private var flushedEnd = AuditIndexRun.pageSize
    private var pageChecksums: [UInt8] = []
    /// Where each bucket's entries start (filled up to `bucketsStarted`).
    private var bucketStarts: [UInt64]
    private var bucketsStarted = 0
    private let bucketBits: UInt32
    private var list: [UInt8] = []
    private var keyCount: UInt64 = 0
    private var postings: UInt64 = 0
    private var lastKey: UInt32?
    private let first: UInt64
    private let last: UInt64

    /// `expectedKeys`: about how many keys it will hold (sizes the bucket table: about 16 keys a bucket).
    init(directory: String, first: UInt64, last: UInt64, expectedKeys: Int) throws(EventLogError) {
        self.first = first
        self.last = last
        var bits: UInt32 = 0
        while bits < AuditIndexRun.maximumBucketBits, (1 << Int(bits)) * 16 < expectedKeys { bits += 1 }
        bucketBits = bits
        bucketStarts = [UInt64](repeating: 0, count: (1 << Int(bits)) + 1)
        finalPath = directory + "/" + AuditIndexRun.fileName(first: first, last: last)
        temporaryPath = finalPath + ".tmp"
        file = try PosixFile.open(temporaryPath, flags: O_RDWR | O_CREAT | O_TRUNC)
        pending.reserveCapacity(1 << 20)
    }

    private var offset: Int { flushedEnd + pending.count }

    /// Adds the list of `key` (positions ascending, within the run's range).
    mutating func add(key: UInt32, positions: some Collection<UInt64>) throws(EventLogError) {
        guard !positions.isEmpty else { return }
        precondition(lastKey.map { key > $0 } ?? true, "audit index keys are added in ascending order")
        lastKey = key
        startBuckets(through: AuditIndexRun.bucket(of: key, bits: bucketBits))
        keyCount += 1
        postings += UInt64(positions.count)
        list.removeAll(keepingCapacity: true)
        var previous = first - 1
        for position in positions {
            Self.appendVarint(position - previous, to: &list)
            previous = position
        }
        pending.appendLE(key)
        Self.appendVarint(UInt64(list.count), to: &pending)
        pending += list
        if pending.count >= 1 << 20 { try flush(all: false) }
    }

    /// Buckets up to `bucket` start here (those with no key start where the next one does).
    private mutating func startBuckets(through bucket: Int) {
        while bucketsStarted <= bucket {
            bucketStarts[bucketsStarted] = UInt64(offset)
            bucketsStarted += 1
        }
    }

    static func appendVarint(_ value: UInt64, to bytes: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    /// Writes the whole pages pending (all, padded to a page, when `all`), with their checksums.
    private mutating func flush(all: Bool) throws(EventLogError) {
        if all, pending.count % AuditIndexRun.pageSize != 0 {
            pending += [UInt8](repeating: 0, count: AuditIndexRun.pageSize - pending.count % AuditIndexRun.pageSize)
        }
        let whole = pending.count - pending.count % AuditIndexRun.pageSize
        guard whole > 0 else { return }
        pending.withUnsafeBytes { raw in
            for page in stride(from: 0, to: whole, by: AuditIndexRun.pageSize) {
                pageChecksums.appendLE(teamlog_crc32c(0, raw.baseAddress! + page, AuditIndexRun.pageSize))
            }
        }
        try file.write(Array(pending[0..<whole]), at: UInt64(flushedEnd))
        flushedEnd += whole
        pending.removeFirst(whole)
    }

    /// Finishes the run and puts it in place; its header says what it covers.
    mutating func finish(storeId: StoreID, chainBefore: [UInt8], chainAfter: [UInt8]) throws(EventLogError) -> String {
        do throws(EventLogError) {
            startBuckets(through: bucketStarts.count - 1)
            let bucketTableOffset = UInt64(offset)
            for start in bucketStarts { pending.appendLE(start) }
            try flush(all: true)
            let crcTableOffset = UInt64(flushedEnd)
            let tableChecksum = pageChecksums.withUnsafeBytes { teamlog_crc32c(0, $0.baseAddress, $0.count) }
            try file.write(pageChecksums, at: crcTableOffset)
            let header = AuditIndexRun.Header(storeId: storeId.bytes, first: first, last: last, chainBefore: chainBefore,
                                              chainAfter: chainAfter, keyCount: keyCount, bucketTableOffset: bucketTableOffset,
                                              crcTableOffset: crcTableOffset,
                                              fileSize: crcTableOffset + UInt64(pageChecksums.count), postings: postings,
                                              bucketBits: bucketBits, crcTableChecksum: tableChecksum)
            try file.write(header.encoded, at: 0)
            try file.sync()
            file.close()
            try PosixFile.rename(temporaryPath, over: finalPath)
            return finalPath
        } catch {
            abandon()
            throw error
        }
    }

    /// Removes the unfinished file.
    func abandon() {
        file.close()
        try? PosixFile.remove(temporaryPath)
    }
}
