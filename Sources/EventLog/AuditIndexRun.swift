import CChecksums
import Foundation
import PosixFiles

/// One run of the audit index (`index/audit/<first>-<last>.run`): for every stream and every actor
/// that has events in positions `first...last`, those positions, delta and varint encoded. Derived
/// from the log, immutable once written, and checked before it is believed: the header (its CRC, the
/// store id, the range its name gives, the file's size), every 4 KiB page against the page CRC table as
/// it is first touched, and every list as it is decoded. See docs/FORMAT.md ("The audit index").
///
/// File: page 0 is the header; then the entries, by key (u32 key, varint byte length, the list: varint
/// deltas of the positions, the first from `first - 1`); then the bucket table (2^bits + 1 u64 file
/// offsets: bucket b's entries, those whose key's top `bits` bits are b, start at entry b); zeros to the
/// next page; then the page CRC table (u32 CRC-32C of each page from page 1 up to the table).
final class AuditIndexRun {
    static let magic: [UInt8] = Array("TLAUDIX1".utf8)
    static let pageSize = 4096
    static let suffix = ".run"

    /// A stream or an actor, as the index keys it: MurmurHash3 of the name, seeded by the kind, 32 bits
    /// (a collision only adds candidates, which the read's filter then drops). See `AuditIndex.key`.
    enum KeyKind: UInt8 { case stream = 1, actor = 2 }

    struct Header: Equatable {
        var storeId: [UInt8]
        var first: UInt64
        var last: UInt64
        var chainBefore: [UInt8]
        var chainAfter: [UInt8]
        var keyCount: UInt64
        var bucketTableOffset: UInt64
        var crcTableOffset: UInt64
        var fileSize: UInt64
        var postings: UInt64
        var bucketBits: UInt32
        var crcTableChecksum: UInt32

        static let checkedLength = 152

        var encoded: [UInt8] {
            var bytes = AuditIndexRun.magic + storeId
            for value in [first, last] { bytes.appendLE(value) }
            bytes += chainBefore + chainAfter
            for value in [keyCount, bucketTableOffset, crcTableOffset, fileSize, postings] { bytes.appendLE(value) }
            bytes.appendLE(bucketBits)
            bytes.appendLE(crcTableChecksum)
            bytes.appendLE(bytes.withUnsafeBytes { teamlog_crc32c(0, $0.baseAddress, Self.checkedLength) })
            return bytes + [UInt8](repeating: 0, count: AuditIndexRun.pageSize - bytes.count)
        }

        static func decode(_ bytes: [UInt8]) -> Header? {
            guard bytes.count >= checkedLength + 4, Array(bytes[0..<8]) == AuditIndexRun.magic else { return nil }
            let crc = bytes.withUnsafeBytes { teamlog_crc32c(0, $0.baseAddress, checkedLength) }
            return bytes.withUnsafeBytes { raw -> Header? in
                func u64(_ at: Int) -> UInt64 { raw.loadUnaligned(fromByteOffset: at, as: UInt64.self).littleEndian }
                func u32(_ at: Int) -> UInt32 { raw.loadUnaligned(fromByteOffset: at, as: UInt32.self).littleEndian }
                guard u32(checkedLength) == crc else { return nil }
                return Header(storeId: Array(bytes[8..<24]), first: u64(24), last: u64(32), chainBefore: Array(bytes[40..<72]),
                              chainAfter: Array(bytes[72..<104]), keyCount: u64(104), bucketTableOffset: u64(112),
                              crcTableOffset: u64(120), fileSize: u64(128), postings: u64(136), bucketBits: u32(144),
                              crcTableChecksum: u32(148))
            }
        }
    }

    /// At most 2^24 buckets (each about 16 keys).
    static let maximumBucketBits: UInt32 = 24

    /// The bucket of `key` among 2^bits: its top bits.
    static func bucket(of key: UInt32, bits: UInt32) -> Int {
        bits == 0 ? 0 : Int(key >> (32 - bits))
    }

    let path: String
    let header: Header
    private let base: UnsafeRawPointer
    private let length: Int
    private var checkedPages: [UInt64]
    private let crcTable: UnsafeRawPointer

    var first: UInt64 { header.first }
    var last: UInt64 { header.last }
    var keyCount: Int { Int(header.keyCount) }

    /// The run file's name for the range it covers.
    static func fileName(first: UInt64, last: UInt64) -> String {
        func digits(_ value: UInt64) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, 20 - text.count)) + text
        }
        return digits(first) + "-" + digits(last) + suffix
    }

    /// The range a run file's name gives, or nil for a name that is not a run's.
    static func range(ofFileName name: String) -> (first: UInt64, last: UInt64)? {
        guard name.hasSuffix(suffix) else { return nil }
        let parts = name.dropLast(suffix.count).split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.count == 20 && $0.allSatisfy(\.isASCII) }),
              let first = UInt64(parts[0]), let last = UInt64(parts[1]), first >= 1, last >= first else { return nil }
        return (first, last)
    }

    private init(path: String, header: Header, base: UnsafeRawPointer, length: Int) {
        self.path = path
        self.header = header
        self.base = base
        self.length = length
        self.crcTable = base + Int(header.crcTableOffset)
        checkedPages = [UInt64](repeating: 0, count: (Int(header.crcTableOffset) / Self.pageSize + 63) / 64)
    }

    deinit { munmap(UnsafeMutableRawPointer(mutating: base), length) }

    private static func damaged(_ path: String, _ reason: String) -> EventLogError {
        .derivedFileDamaged(path: path, reason: reason)
    }

    private var bucketCount: Int { 1 << Int(header.bucketBits) }

    /// Opens a run and checks its header against `storeId` and the range its name gives.
    static func open(path: String, storeId: StoreID) throws(EventLogError) -> AuditIndexRun {
        let file = try PosixFile.openForReading(path)
        defer { file.close() }
        let size = try file.size()
        guard let header = Header.decode(try file.readFully(count: pageSize, at: 0)) else {
            throw damaged(path, "its header is not an audit index run's or fails its checksum")
        }
        guard header.storeId == storeId.bytes else { throw damaged(path, "it belongs to another store") }
        let name = (path as NSString).lastPathComponent
        guard let range = range(ofFileName: name), range == (header.first, header.last) else {
            throw damaged(path, "its header covers positions \(header.first)-\(header.last), not those its name gives")
        }
        let pages = header.crcTableOffset / UInt64(pageSize)
        guard header.fileSize == size, header.crcTableOffset % UInt64(pageSize) == 0, pages >= 1,
              header.fileSize == header.crcTableOffset + 4 * (pages - 1), header.bucketBits <= maximumBucketBits,
              header.bucketTableOffset >= UInt64(pageSize),
              header.bucketTableOffset + 8 * ((UInt64(1) << UInt64(header.bucketBits)) + 1) <= header.crcTableOffset,
              header.chainBefore.count == 32, header.chainAfter.count == 32 else {
            throw damaged(path, "it is \(size) bytes, its header describes \(header.fileSize) (truncated or extended?)")
        }
        guard let pointer = mmap(nil, Int(size), PROT_READ, MAP_SHARED, file.fd, 0), pointer != MAP_FAILED else {
            throw .io(operation: "mmap", path: path, errno: errno)
        }
        let run = AuditIndexRun(path: path, header: header, base: UnsafeRawPointer(pointer), length: Int(size))
        let tableChecksum = teamlog_crc32c(0, run.crcTable, Int(4 * (pages - 1)))
        guard tableChecksum == header.crcTableChecksum else { throw damaged(path, "its page checksum table fails its checksum") }
        return run
    }

    /// Checks the pages holding bytes `offset..<offset + count` (each once).
    private func checkPages(_ offset: Int, _ count: Int) throws(EventLogError) {
        guard count > 0 else { return }
        guard offset >= Self.pageSize, offset + count <= Int(header.crcTableOffset) else {
            throw Self.damaged(path, "an offset points outside its data (\(offset))")
        }
        for page in (offset / Self.pageSize)...((offset + count - 1) / Self.pageSize) {
            let word = page / 64, bit = UInt64(1) << UInt64(page % 64)
            if checkedPages[word] & bit != 0 { continue }
            let stored = crcTable.loadUnaligned(fromByteOffset: 4 * (page - 1), as: UInt32.self).littleEndian
            guard teamlog_crc32c(0, base + page * Self.pageSize, Self.pageSize) == stored else {
                throw Self.damaged(path, "page \(page) (bytes \(page * Self.pageSize)-\((page + 1) * Self.pageSize - 1)) fails its checksum")
            }
            checkedPages[word] |= bit
        }
    }

    /// Where bucket `index`'s entries start (index == bucketCount: where the entries end).
    private func bucketStart(_ index: Int) throws(EventLogError) -> Int {
        let at = Int(header.bucketTableOffset) + 8 * index
        try checkPages(at, 8)
        let offset = Int(base.loadUnaligned(fromByteOffset: at, as: UInt64.self).littleEndian)
        guard offset >= Self.pageSize, offset <= Int(header.bucketTableOffset) else {
            throw Self.damaged(path, "bucket \(index) points at byte \(offset), outside the entries")
        }
        return offset
    }

    /// One entry: its key and where its list lies.
    struct Entry {
        var key: UInt32
        var list: Range<Int>
        var end: Int { list.upperBound }
    }

    /// The entry at `offset` (within `limit`).
    func entry(at offset: Int, limit: Int) throws(EventLogError) -> Entry {
        try checkPages(offset, min(14, limit - offset))
        guard limit - offset >= 5 else { throw Self.damaged(path, "an entry at byte \(offset) is cut short") }
        let key = base.loadUnaligned(fromByteOffset: offset, as: UInt32.self).littleEndian
        var at = offset + 4
        guard let length = varint(&at, limit), length >= 1, length <= UInt64(limit - at) else {
            throw Self.damaged(path, "the entry at byte \(offset) has no sound length")
        }
        return Entry(key: key, list: at..<(at + Int(length)))
    }

    private func varint(_ at: inout Int, _ end: Int) -> UInt64? {
        var value: UInt64 = 0, shift: UInt64 = 0
        while at < end, shift < 64 {
            let byte = base.load(fromByteOffset: at, as: UInt8.self)
            at += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
        return nil
    }

    /// Where the entries start and end.
    func entriesRange() throws(EventLogError) -> Range<Int> {
        Self.pageSize..<(try bucketStart(bucketCount))
    }

    /// The positions of `key` in this run (ascending), appended to `positions`.
    func positions(of key: UInt32, into positions: inout [UInt64]) throws(EventLogError) {
        let bucket = Self.bucket(of: key, bits: header.bucketBits)
        var at = try bucketStart(bucket)
        let end = try bucketStart(bucket + 1)
        guard at <= end else { throw Self.damaged(path, "bucket \(bucket) ends before it starts") }
        // Each step moves past one entry: bounded by the bucket's bytes.
        while at < end {
            let entry = try entry(at: at, limit: end)
            if entry.key == key { try decode(entry, into: &positions) }
            if entry.key >= key { return }
            at = entry.end
        }
    }

    /// Decodes an entry's list, checking that it is sound and within the run's range.
    func decode(_ entry: Entry, into positions: inout [UInt64]) throws(EventLogError) {
        try checkPages(entry.list.lowerBound, entry.list.count)
        var at = entry.list.lowerBound
        var position = header.first - 1
        while at < entry.list.upperBound {
            guard let delta = varint(&at, entry.list.upperBound), delta >= 1, delta <= header.last - position else {
                throw Self.damaged(path, "the list at byte \(entry.list.lowerBound) holds a position outside "
                    + "\(header.first)-\(header.last) or out of order")
            }
            position += delta
            positions.append(position)
        }
    }

    /// Checks every page, every entry (keys strictly ascending, each in its bucket) and every list (for verify).
    func checkWhole() throws(EventLogError) {
        try checkPages(Self.pageSize, Int(header.crcTableOffset) - Self.pageSize)
        let range = try entriesRange()
        var at = range.lowerBound
        var previous: UInt32?
        var postings: UInt64 = 0, keys: UInt64 = 0
        var scratch: [UInt64] = []
        while at < range.upperBound {
            let entry = try entry(at: at, limit: range.upperBound)
            if let previous, entry.key <= previous { throw Self.damaged(path, "its entries are out of order at byte \(at)") }
            let bucket = Self.bucket(of: entry.key, bits: header.bucketBits)
            guard try bucketStart(bucket) <= at, at < (try bucketStart(bucket + 1)) else {
                throw Self.damaged(path, "the entry at byte \(at) is not in its bucket")
            }
            previous = entry.key
            scratch.removeAll(keepingCapacity: true)
            try decode(entry, into: &scratch)
            postings += UInt64(scratch.count)
            keys += 1
            at = entry.end
        }
        guard postings == header.postings, keys == header.keyCount else {
            throw Self.damaged(path, "it holds \(keys) keys and \(postings) positions, its header counts \(header.keyCount) and \(header.postings)")
        }
    }
}
