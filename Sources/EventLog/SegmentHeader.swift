import CChecksums

/// The first frame of every segment: an LZ4 *skippable* frame (magic 0x184D2A50), which the stock
/// `lz4` tool skips, holding what a segment needs to be checked on its own:
///
/// ```
/// u32 magic 0x184D2A50, u32 size = 72
/// 8 bytes "TEAMLOG1"
/// 16 bytes store id
/// u64 first position of the segment
/// 32 bytes hash chain value before the segment's first commit
/// u32 format flags (0)
/// u32 crc32c of the 68 bytes above
/// ```
struct SegmentHeader: Sendable, Hashable {
    static let tag: [UInt8] = Array("TEAMLOG1".utf8)
    static let payloadLength = 72
    static let encodedLength = 8 + payloadLength

    var storeId: StoreID
    var firstPosition: UInt64
    var chainBefore: [UInt8]

    var encoded: [UInt8] {
        var bytes: [UInt8] = []
        bytes.appendLE(LZ4FrameFormat.skippableMagicBase)
        bytes.appendLE(UInt32(Self.payloadLength))
        bytes.append(contentsOf: Self.tag)
        bytes.append(contentsOf: storeId.bytes)
        bytes.appendLE(firstPosition)
        bytes.append(contentsOf: chainBefore)
        bytes.appendLE(UInt32(0))
        let crc = bytes.withUnsafeBytes { teamlog_crc32c(0, $0.baseAddress! + 8, Self.payloadLength - 4) }
        bytes.appendLE(crc)
        return bytes
    }

    /// Parses a header from the first bytes of a segment file.
    static func decode(_ bytes: [UInt8]) -> Result<SegmentHeader, HeaderError> {
        guard bytes.count >= encodedLength else { return .failure(.incomplete) }
        return bytes.withUnsafeBytes { raw in
            let magic = raw.loadUnaligned(fromByteOffset: 0, as: UInt32.self).littleEndian
            let size = raw.loadUnaligned(fromByteOffset: 4, as: UInt32.self).littleEndian
            guard magic == LZ4FrameFormat.skippableMagicBase, size == UInt32(payloadLength),
                  Array(bytes[8..<16]) == tag else { return .failure(.invalid("the segment does not start with a Teamlog segment header")) }
            let crc = raw.loadUnaligned(fromByteOffset: 8 + payloadLength - 4, as: UInt32.self).littleEndian
            guard crc == teamlog_crc32c(0, raw.baseAddress! + 8, payloadLength - 4) else {
                return .failure(.invalid("segment header checksum mismatch"))
            }
            let storeId = StoreID(bytes: Array(bytes[16..<32]))
            let first = raw.loadUnaligned(fromByteOffset: 32, as: UInt64.self).littleEndian
            return .success(SegmentHeader(storeId: storeId, firstPosition: first, chainBefore: Array(bytes[40..<72])))
        }
    }

    enum HeaderError: Error, Equatable {
        case incomplete
        case invalid(String)
    }
}
