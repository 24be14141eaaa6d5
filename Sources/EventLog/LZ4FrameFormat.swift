import CChecksums

/// Constants of the LZ4 frame format (lz4frame.h, "LZ4 Frame Format Description" 1.6.x).
enum LZ4FrameFormat {
    static let frameMagic: UInt32 = 0x184D_2204
    /// Skippable frames: magic 0x184D2A50 … 0x184D2A5F, a u32 size, then that many bytes the decoder skips.
    static let skippableMagicMask: UInt32 = 0xFFFF_FFF0
    static let skippableMagicBase: UInt32 = 0x184D_2A50
    static let endMark: UInt32 = 0
    static let uncompressedBlockFlag: UInt32 = 0x8000_0000
    static let maxBlockSize = 64 << 10

    /// The parsed frame descriptor.
    struct FrameDescriptor {
        var blockIndependent: Bool
        var blockChecksum: Bool
        var contentChecksum: Bool
        var contentSize: UInt64?
        var maxBlockSize: Int
        /// Bytes from the magic number through the header checksum.
        var headerLength: Int
    }

    enum HeaderParse {
        case incomplete
        case invalid(String)
        case frame(FrameDescriptor)
    }

    /// Parses the frame header that starts with the magic number at `bytes[0]`.
    static func parseHeader(_ bytes: UnsafeRawBufferPointer) -> HeaderParse {
        guard bytes.count >= 7 else { return .incomplete }
        let flg = bytes[4]
        let bd = bytes[5]
        guard flg >> 6 == 0b01 else { return .invalid("unsupported LZ4 frame version \(flg >> 6)") }
        guard flg & 0b10 == 0 else { return .invalid("reserved bit set in the frame descriptor") }
        let hasContentSize = flg & 0b1000 != 0
        let hasDictId = flg & 0b1 != 0
        let length = 4 + 2 + (hasContentSize ? 8 : 0) + (hasDictId ? 4 : 0) + 1
        guard bytes.count >= length else { return .incomplete }
        guard hasDictId == false else { return .invalid("frames with a dictionary id are not written by Teamlog") }
        let blockSizeId = (bd >> 4) & 0b111
        guard (4...7).contains(blockSizeId), bd & 0b1000_1111 == 0 else { return .invalid("invalid block size descriptor") }
        let checksum = UInt8(truncatingIfNeeded: teamlog_xxh32(bytes.baseAddress! + 4, length - 5, 0) >> 8)
        guard checksum == bytes[length - 1] else { return .invalid("frame header checksum mismatch") }
        var contentSize: UInt64?
        if hasContentSize { contentSize = bytes.loadUnaligned(fromByteOffset: 6, as: UInt64.self).littleEndian }
        return .frame(FrameDescriptor(
            blockIndependent: flg & 0b10_0000 != 0,
            blockChecksum: flg & 0b1_0000 != 0,
            contentChecksum: flg & 0b100 != 0,
            contentSize: contentSize,
            maxBlockSize: 1 << (8 + 2 * Int(blockSizeId)),
            headerLength: length))
    }

    static func isSkippable(_ magic: UInt32) -> Bool { magic & skippableMagicMask == skippableMagicBase }
}
