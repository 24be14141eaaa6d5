import CChecksums
import Foundation
import PosixFiles

/// The store's record of the last commit it acknowledged: the evidence that tells a torn write
/// (never acknowledged: cut) from lost acknowledged commits (damage: never cut, never appended over).
///
/// The writer rewrites it after every durable write, once the segment's bytes are on disk, so it
/// is never ahead of what the log durably holds; it is not synced itself, so after a power loss it
/// may lag behind (then it proves less, never something false). After `kill -9` it is exact: the
/// kernel keeps the write.
///
/// File `<store>/acknowledged`: two 128-byte slots, written alternately, so that a torn write of
/// one leaves the other. A slot: `TLACKED1`, u64 sequence, 16 bytes store id, u64 position,
/// u64 commits, 32 bytes chain value after the commit at `position`, u64 first position of the
/// segment holding it, u64 end offset of that write in the segment, 4 reserved bytes, u32 CRC-32C of
/// the 100 bytes before it, zero padding. The slot with the highest sequence whose CRC holds counts.
public struct AcknowledgedHead: Sendable, Hashable {
    public var position: UInt64
    public var commits: UInt64
    public var hash: [UInt8]
    /// Where the write that acknowledged it ended (for messages; a repack moves offsets).
    public var segmentFirstPosition: UInt64
    public var endOffset: UInt64

    public var head: LogHead { LogHead(position: position, commits: commits, hash: hash) }

    static let magic: [UInt8] = Array("TLACKED1".utf8)
    static let slotLength = 128
    static let checkedLength = 100

    func encoded(sequence: UInt64, storeId: StoreID) -> [UInt8] {
        var bytes = Self.magic
        bytes.appendLE(sequence)
        bytes.append(contentsOf: storeId.bytes)
        bytes.appendLE(position)
        bytes.appendLE(commits)
        bytes.append(contentsOf: hash)
        bytes.appendLE(segmentFirstPosition)
        bytes.appendLE(endOffset)
        bytes.appendLE(UInt32(0))
        let crc = bytes.withUnsafeBytes { teamlog_crc32c(0, $0.baseAddress, Self.checkedLength) }
        bytes.appendLE(crc)
        bytes.append(contentsOf: [UInt8](repeating: 0, count: Self.slotLength - bytes.count))
        return bytes
    }

    /// What the file holds: the newest sound slot, or why there is none.
    enum Reading: Equatable {
        case missing
        case unreadable(String)
        case found(AcknowledgedHead, sequence: UInt64)
    }

    static func read(path: String, storeId: StoreID) -> Reading {
        guard PosixFile.exists(path) else { return .missing }
        let bytes: [UInt8]
        do throws(EventLogError) {
            bytes = try PosixFile.openForReading(path).readFully(count: 2 * slotLength, at: 0)
        } catch {
            return .unreadable("\(error)")
        }
        var best: (AcknowledgedHead, UInt64)?
        var foreign = false
        for slot in 0..<2 {
            let start = slot * slotLength
            guard bytes.count >= start + slotLength else { continue }
            let raw = Array(bytes[start..<(start + slotLength)])
            guard Array(raw[0..<8]) == magic else { continue }
            let crc = raw.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: checkedLength, as: UInt32.self).littleEndian }
            guard crc == raw.withUnsafeBytes({ teamlog_crc32c(0, $0.baseAddress, checkedLength) }) else { continue }
            func u64(_ at: Int) -> UInt64 { raw.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: at, as: UInt64.self).littleEndian } }
            guard Array(raw[16..<32]) == storeId.bytes else { foreign = true; continue }
            let head = AcknowledgedHead(position: u64(32), commits: u64(40), hash: Array(raw[48..<80]),
                                        segmentFirstPosition: u64(80), endOffset: u64(88))
            let sequence = u64(8)
            if best.map({ sequence > $0.1 }) ?? true { best = (head, sequence) }
        }
        if let best { return .found(best.0, sequence: best.1) }
        return .unreadable(foreign ? "it belongs to another store" : "neither of its two slots is sound")
    }
}

/// Keeps `<store>/acknowledged` up to date from the writer (one small `pwrite` per durable write).
final class AcknowledgedHeadFile {
    private let file: PosixFile
    private let storeId: StoreID
    private var sequence: UInt64

    private init(file: PosixFile, storeId: StoreID, sequence: UInt64) {
        self.file = file
        self.storeId = storeId
        self.sequence = sequence
    }

    /// Opens (creating, with both slots allocated) the file, continuing after `sequence`.
    static func open(path: String, storeId: StoreID, after sequence: UInt64) throws(EventLogError) -> AcknowledgedHeadFile {
        let file = try PosixFile.open(path, flags: O_RDWR | O_CREAT)
        if try file.size() < UInt64(2 * AcknowledgedHead.slotLength) {
            try file.allocate(bytes: UInt64(2 * AcknowledgedHead.slotLength))
        }
        return AcknowledgedHeadFile(file: file, storeId: storeId, sequence: sequence)
    }

    /// Records `head` as acknowledged. `sync` makes it durable now (after a recovery or a repack,
    /// which happen rarely); after ordinary writes the kernel writes it back in its own time.
    func record(_ head: AcknowledgedHead, sync: Bool = false) throws(EventLogError) {
        sequence += 1
        let slot = UInt64(sequence % 2) * UInt64(AcknowledgedHead.slotLength)
        try file.write(head.encoded(sequence: sequence, storeId: storeId), at: slot)
        if sync { try file.sync() }
    }

    func close() {
        try? file.sync()
        file.close()
    }
}
