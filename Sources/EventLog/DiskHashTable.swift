import CChecksums
import Foundation
import PosixFiles

/// A persistent open-addressing hash table of fixed 32-byte slots, memory-mapped: 128-bit keys
/// (MurmurHash3 of a name, so collisions are beyond practical reach) to two 64-bit values.
/// Derived from the log: its header records the last position it covers, and opening for
/// writing catches it up from there (re-applying an event is harmless: values are set, not added).
///
/// Nothing depends on a clean close: the header's count is updated with every insert (through the
/// mapping, so it survives `kill -9` like the slots), every probe visits each slot at most once,
/// and a table whose count disagrees with its slots or that has no free slot left is reported as
/// damaged (the writer then rebuilds it from the log). Its disk space is reserved before it is
/// mapped, so a full disk fails with ENOSPC instead of SIGBUS.
///
/// File: 64-byte header (`TLTABLE1`, u64 capacity, u64 count, u64 covered position,
/// 28 reserved bytes, u32 crc32c of the first 60 bytes), then `capacity` slots of
/// `u64 key1, u64 key2, u64 value1, u64 value2` (key1 = key2 = 0: empty).
final class DiskHashTable {
    struct Key: Hashable {
        var a: UInt64
        var b: UInt64

        init(_ name: String) {
            var out: (UInt64, UInt64) = (0, 0)
            var name = name
            name.withUTF8 { utf8 in
                withUnsafeMutableBytes(of: &out) { raw in
                    teamlog_murmur3_128(utf8.baseAddress, utf8.count, 0x7465_616D, raw.baseAddress!.assumingMemoryBound(to: UInt64.self))
                }
            }
            a = out.0 | 1 // never the empty marker
            b = out.1
        }
    }

    static let headerLength = 64
    static let slotLength = 32
    static let magic: [UInt8] = Array("TLTABLE1".utf8)
    /// 2^40 slots: far beyond any log, and small enough that sizes never overflow.
    static let maximumCapacity = 1 << 40

    let path: String
    private var file: PosixFile
    private var base: UnsafeMutableRawPointer
    private var mappedLength: Int
    private(set) var capacity: Int
    private(set) var count: Int
    /// The last log position whose effects are in the table (as persisted in the header).
    private(set) var coveredPosition: UInt64
    private let writable: Bool

    private init(path: String, file: PosixFile, base: UnsafeMutableRawPointer, mappedLength: Int,
                 capacity: Int, count: Int, coveredPosition: UInt64, writable: Bool) {
        self.path = path
        self.file = file
        self.base = base
        self.mappedLength = mappedLength
        self.capacity = capacity
        self.count = count
        self.coveredPosition = coveredPosition
        self.writable = writable
    }

    deinit {
        if isDetached { base.deallocate() } else { munmap(base, mappedLength) }
    }

    /// Opens an existing table; nil when it does not exist; throws `.derivedFileDamaged` when it is not sound.
    static func open(path: String, writable: Bool) throws(EventLogError) -> DiskHashTable? {
        guard PosixFile.exists(path) else { return nil }
        let file = try PosixFile.open(path, flags: writable ? O_RDWR : O_RDONLY)
        let size = Int(try file.size())
        let header = try file.readFully(count: headerLength, at: 0)
        guard header.count == headerLength, Array(header[0..<8]) == magic else {
            throw .derivedFileDamaged(path: path, reason: "bad header")
        }
        let (capacity, count, covered, crc) = header.withUnsafeBytes { raw in
            (Int(raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self).littleEndian),
             Int(raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self).littleEndian),
             raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self).littleEndian,
             raw.loadUnaligned(fromByteOffset: 60, as: UInt32.self).littleEndian)
        }
        let computed = header.withUnsafeBytes { teamlog_crc32c(0, $0.baseAddress, 60) }
        guard crc == computed, capacity > 0, capacity & (capacity - 1) == 0, capacity <= maximumCapacity,
              size == headerLength + capacity * slotLength else {
            throw .derivedFileDamaged(path: path, reason: "header checksum or size mismatch")
        }
        guard count * 2 <= capacity else {
            throw .derivedFileDamaged(path: path, reason: "its header counts \(count) entries in \(capacity) slots, more than it may hold")
        }
        let base = try map(file: file, length: size, writable: writable)
        return DiskHashTable(path: path, file: file, base: base, mappedLength: size, capacity: capacity,
                             count: count, coveredPosition: covered, writable: writable)
    }

    /// The position a table's header says it covers, or nil when there is no sound header.
    static func coveredPosition(path: String) -> UInt64? {
        guard let file = try? PosixFile.openForReading(path), let header = try? file.readFully(count: headerLength, at: 0),
              header.count == headerLength, Array(header[0..<8]) == magic else { return nil }
        let (covered, crc) = header.withUnsafeBytes { raw in
            (raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self).littleEndian,
             raw.loadUnaligned(fromByteOffset: 60, as: UInt32.self).littleEndian)
        }
        guard crc == header.withUnsafeBytes({ teamlog_crc32c(0, $0.baseAddress, 60) }) else { return nil }
        return covered
    }

    /// Creates an empty table (replacing any file at `path`).
    static func create(path: String, capacity: Int = 1 << 12) throws(EventLogError) -> DiskHashTable {
        try? PosixFile.remove(path)
        let file = try PosixFile.open(path, flags: O_RDWR | O_CREAT | O_TRUNC)
        let size = headerLength + capacity * slotLength
        do throws(EventLogError) {
            try file.allocate(bytes: UInt64(size))
        } catch {
            try? PosixFile.remove(path)
            throw error
        }
        let base = try map(file: file, length: size, writable: true)
        let table = DiskHashTable(path: path, file: file, base: base, mappedLength: size, capacity: capacity,
                                  count: 0, coveredPosition: 0, writable: true)
        table.writeHeader(coveredPosition: 0)
        return table
    }

    private static func map(file: PosixFile, length: Int, writable: Bool) throws(EventLogError) -> UnsafeMutableRawPointer {
        let protection = writable ? (PROT_READ | PROT_WRITE) : PROT_READ
        guard let pointer = mmap(nil, length, protection, MAP_SHARED, file.fd, 0), pointer != MAP_FAILED else {
            throw .io(operation: "mmap", path: file.path, errno: errno)
        }
        return pointer
    }

    private func slot(_ index: Int) -> UnsafeMutableRawPointer {
        base + Self.headerLength + index * Self.slotLength
    }

    /// The values stored for `key`, or nil. Visits each slot at most once.
    func lookup(_ key: Key) throws(EventLogError) -> (UInt64, UInt64)? {
        switch probe(key) {
        case .found(let p):
            return (p.load(fromByteOffset: 16, as: UInt64.self), p.load(fromByteOffset: 24, as: UInt64.self))
        case .empty:
            return nil
        case .full:
            throw fullError
        }
    }

    /// Sets the values for `key`; `onlyIfAbsent` keeps an existing entry.
    func set(_ key: Key, _ value1: UInt64, _ value2: UInt64, onlyIfAbsent: Bool = false) throws(EventLogError) {
        if (count + 1) * 2 > capacity { try grow() }
        switch probe(key) {
        case .found(let p):
            if !onlyIfAbsent {
                p.storeBytes(of: value1, toByteOffset: 16, as: UInt64.self)
                p.storeBytes(of: value2, toByteOffset: 24, as: UInt64.self)
            }
        case .empty(let p):
            p.storeBytes(of: key.a, as: UInt64.self)
            p.storeBytes(of: key.b, toByteOffset: 8, as: UInt64.self)
            p.storeBytes(of: value1, toByteOffset: 16, as: UInt64.self)
            p.storeBytes(of: value2, toByteOffset: 24, as: UInt64.self)
            count += 1
            storeCountInHeader()
        case .full:
            throw fullError
        }
    }

    private enum Probe {
        case found(UnsafeMutableRawPointer)
        case empty(UnsafeMutableRawPointer)
        /// Every slot was visited: the table is full, so its count (at most half the slots) is wrong.
        case full
    }

    /// Linear probing from the key's home slot, bounded by the capacity.
    private func probe(_ key: Key) -> Probe {
        let mask = capacity - 1
        var index = Int(truncatingIfNeeded: key.b) & mask
        for _ in 0..<capacity {
            let p = slot(index)
            let a = p.load(as: UInt64.self)
            if a == 0 { return .empty(p) }
            if a == key.a && p.load(fromByteOffset: 8, as: UInt64.self) == key.b { return .found(p) }
            index = (index + 1) & mask
        }
        return .full
    }

    private var fullError: EventLogError {
        .derivedFileDamaged(path: path, reason: "every one of its \(capacity) slots is taken though it counts \(count) entries")
    }

    /// The count, in the mapped header with its checksum: kept exact without a clean close.
    private func storeCountInHeader() {
        base.storeBytes(of: UInt64(count).littleEndian, toByteOffset: 16, as: UInt64.self)
        let crc = teamlog_crc32c(0, base, 60)
        base.storeBytes(of: crc.littleEndian, toByteOffset: 60, as: UInt32.self)
    }

    /// Makes the slots durable, then records `position` as covered.
    func checkpoint(coveredPosition position: UInt64) throws(EventLogError) {
        guard msync(base, mappedLength, MS_SYNC) == 0 else { throw .io(operation: "msync", path: path, errno: errno) }
        writeHeader(coveredPosition: position)
        guard msync(base, Self.headerLength, MS_SYNC) == 0 else { throw .io(operation: "msync", path: path, errno: errno) }
    }

    private func writeHeader(coveredPosition position: UInt64) {
        coveredPosition = position
        var header = Self.magic
        header.appendLE(UInt64(capacity))
        header.appendLE(UInt64(count))
        header.appendLE(position)
        header.append(contentsOf: [UInt8](repeating: 0, count: 28))
        let crc = header.withUnsafeBytes { teamlog_crc32c(0, $0.baseAddress, 60) }
        header.appendLE(crc)
        header.withUnsafeBytes { base.copyMemory(from: $0.baseAddress!, byteCount: Self.headerLength) }
    }

    /// Doubles the table into a new file, then replaces this one atomically.
    private func grow() throws(EventLogError) {
        let temporary = path + ".tmp"
        guard capacity * 2 <= Self.maximumCapacity else { throw fullError }
        let bigger = try DiskHashTable.create(path: temporary, capacity: capacity * 2)
        do throws(EventLogError) {
            for index in 0..<capacity {
                let p = slot(index)
                let a = p.load(as: UInt64.self)
                if a == 0 { continue }
                try bigger.set(Key(a: a, b: p.load(fromByteOffset: 8, as: UInt64.self)),
                               p.load(fromByteOffset: 16, as: UInt64.self), p.load(fromByteOffset: 24, as: UInt64.self))
            }
            try bigger.checkpoint(coveredPosition: coveredPosition)
            try PosixFile.rename(temporary, over: path)
        } catch {
            try? PosixFile.remove(temporary)
            throw error
        }
        munmap(base, mappedLength)
        file = bigger.file
        base = bigger.base
        mappedLength = bigger.mappedLength
        capacity = bigger.capacity
        count = bigger.count
        bigger.detach()
    }

    /// Hands the mapping over to another instance (after `grow`).
    private func detach() {
        base = UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 8)
        mappedLength = 0
        isDetached = true
    }

    private var isDetached = false
}

extension DiskHashTable.Key {
    init(a: UInt64, b: UInt64) {
        self.a = a
        self.b = b
    }
}
