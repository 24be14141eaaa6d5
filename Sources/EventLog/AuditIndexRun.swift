import CChecksums
import Foundation
import PosixFiles

/// One run of the audit index (`index/audit/<first>-<last>.run`): for every stream and every actor
/// that has events in positions `first...last`, those positions, delta and varint encoded. Derived
/// from the log, immutable once written, and checked before it is believed: the header (its CRC, the
/// store id, the range its name gives, the file's size), every 4 KiB page against the page CRC table as
/// it is first touched, and every list as it is decoded. See docs/FORMAT.md ("The audit index").
///
/// File: page 0 is the header; then the lists; then the directory (one 16-byte entry per key, by key:
/// u64 key, u64 file offset of its list); zeros to the next page; then the page CRC table (u32 CRC-32C of
/// each page from page 1 up to the table).
final class AuditIndexRun {
    static let magic: [UInt8] = Array("TLAUDIX1".utf8)
    static let pageSize = 4096
    static let suffix = ".run"

    /// A stream or an actor, as the index keys it: MurmurHash3 of the name, seeded by the kind (64 bits;
    /// a collision only adds candidates, which the read's filter then drops). See `AuditIndex.key`.
    enum KeyKind: UInt8 { case stream = 1, actor = 2 }

    struct Header: Equatable {
        var storeId: [UInt8]
        var first: UInt64
        var last: UInt64
        var chainBefore: [UInt8]
        var chainAfter: [UInt8]
        var keyCount: UInt64
        var directoryOffset: UInt64
        var crcTableOffset: UInt64
        var fileSize: UInt64
        var postings: UInt64
        var crcTableChecksum: UInt32

        static let checkedLength = 148

        var encoded: [UInt8] {
            var bytes = AuditIndexRun.magic + storeId
            for value in [first, last] { bytes.appendLE(value) }
            bytes += chainBefore + chainAfter
            for value in [keyCount, directoryOffset, crcTableOffset, fileSize, postings] { bytes.appendLE(value) }
            bytes.appendLE(crcTableChecksum)
            bytes.appendLE(bytes.withUnsafeBytes { teamlog_crc32c(0, $0.baseAddress, Self.checkedLength) })
            return bytes + [UInt8](repeating: 0, count: AuditIndexRun.pageSize - bytes.count)
        }

        static func decode(_ bytes: [UInt8]) -> Header? {
            guard bytes.count >= checkedLength + 4, Array(bytes[0..<8]) == AuditIndexRun.magic else { return nil }
            let crc = bytes.withUnsafeBytes { teamlog_crc32c(0, $0.baseAddress, checkedLength) }
            return bytes.withUnsafeBytes { raw -> Header? in
                func u64(_ at: Int) -> UInt64 { raw.loadUnaligned(fromByteOffset: at, as: UInt64.self).littleEndian }
                guard raw.loadUnaligned(fromByteOffset: checkedLength, as: UInt32.self).littleEndian == crc else { return nil }
                return Header(storeId: Array(bytes[8..<24]), first: u64(24), last: u64(32), chainBefore: Array(bytes[40..<72]),
                              chainAfter: Array(bytes[72..<104]), keyCount: u64(104), directoryOffset: u64(112),
                              crcTableOffset: u64(120), fileSize: u64(128), postings: u64(136),
                              crcTableChecksum: raw.loadUnaligned(fromByteOffset: 144, as: UInt32.self).littleEndian)
            }
        }
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
              header.fileSize == header.crcTableOffset + 4 * (pages - 1),
              header.directoryOffset >= UInt64(pageSize), header.directoryOffset + 16 * header.keyCount <= header.crcTableOffset,
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

    /// The key and list offset of directory entry `index`.
    func entry(_ index: Int) throws(EventLogError) -> (key: UInt64, offset: Int, end: Int) {
        let at = Int(header.directoryOffset) + 16 * index
        try checkPages(at, index + 1 < keyCount ? 32 : 16)
        let key = base.loadUnaligned(fromByteOffset: at, as: UInt64.self).littleEndian
        let offset = Int(base.loadUnaligned(fromByteOffset: at + 8, as: UInt64.self).littleEndian)
        let end = index + 1 < keyCount
            ? Int(base.loadUnaligned(fromByteOffset: at + 24, as: UInt64.self).littleEndian) : Int(header.directoryOffset)
        guard offset >= Self.pageSize, offset < end, end <= Int(header.directoryOffset) else {
            throw Self.damaged(path, "directory entry \(index) points at bytes \(offset)-\(end), outside the lists")
        }
        return (key, offset, end)
    }

    /// The positions of `key` in this run (ascending), appended to `positions`.
    func positions(of key: UInt64, into positions: inout [UInt64]) throws(EventLogError) {
        var low = 0, high = keyCount
        while low < high {
            let mid = (low + high) / 2
            let probe = try entry(mid).key
            if probe == key { return try decodeList(mid, into: &positions) }
            if probe < key { low = mid + 1 } else { high = mid }
        }
    }

    /// Decodes directory entry `index`'s list, checking that it is sound and within the run's range.
    func decodeList(_ index: Int, into positions: inout [UInt64]) throws(EventLogError) {
        let (_, offset, end) = try entry(index)
        try checkPages(offset, end - offset)
        var at = offset
        func varint() -> UInt64? {
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
        guard let count = varint(), count >= 1, count <= UInt64(end - offset) else {
            throw Self.damaged(path, "list \(index) has no sound count")
        }
        var position = header.first - 1
        for _ in 0..<count {
            guard let delta = varint(), delta >= 1, delta <= header.last - position else {
                throw Self.damaged(path, "list \(index) holds a position outside \(header.first)-\(header.last) or out of order")
            }
            position += delta
            positions.append(position)
        }
        guard at == end else { throw Self.damaged(path, "list \(index) has \(end - at) bytes after its positions") }
    }

    /// Checks every page, every directory entry (keys strictly ascending) and every list (for verify).
    func checkWhole() throws(EventLogError) {
        try checkPages(Self.pageSize, Int(header.crcTableOffset) - Self.pageSize)
        var previous: UInt64?
        var postings: UInt64 = 0
        var scratch: [UInt64] = []
        for index in 0..<keyCount {
            let key = try entry(index).key
            if let previous, key <= previous { throw Self.damaged(path, "its directory is out of order at entry \(index)") }
            previous = key
            scratch.removeAll(keepingCapacity: true)
            try decodeList(index, into: &scratch)
            postings += UInt64(scratch.count)
        }
        guard postings == header.postings else {
            throw Self.damaged(path, "it holds \(postings) positions, its header counts \(header.postings)")
        }
    }
}
