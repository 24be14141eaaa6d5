import CChecksums
import Testing
@testable import EventLog

/// Known answers for the log's checksums and hash, from published vectors: CRC-32C (the check value
/// of "123456789", and RFC 3720 B.4), XXH32 (xxHash's own sanity value for empty input; the others
/// agree with the reference implementation, python's `xxhash`), MurmurHash3 x64 128-bit (the
/// reference `MurmurHash3_x64_128`, as python's `mmh3.hash64` gives it), and an LZ4 frame header as
/// the LZ4 library writes it.
@Suite struct ChecksumVectorTests {
    static let fox = Array("The quick brown fox jumps over the lazy dog".utf8)

    static func crc32c(_ bytes: [UInt8], continuing crc: UInt32 = 0) -> UInt32 {
        bytes.withUnsafeBytes { teamlog_crc32c(crc, $0.baseAddress, $0.count) }
    }

    static func xxh32(_ bytes: [UInt8], seed: UInt32 = 0) -> UInt32 {
        bytes.withUnsafeBytes { teamlog_xxh32($0.baseAddress, $0.count, seed) }
    }

    static func murmur3(_ bytes: [UInt8], seed: UInt32) -> [UInt64] {
        var out: [UInt64] = [0, 0]
        bytes.withUnsafeBytes { teamlog_murmur3_128($0.baseAddress, $0.count, seed, &out) }
        return out
    }

    @Test func crc32cMatchesThePublishedVectors() {
        #expect(Self.crc32c([]) == 0)
        #expect(Self.crc32c(Array("123456789".utf8)) == 0xE306_9283)  // the CRC catalogue's check value
        #expect(Self.crc32c([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)  // RFC 3720 B.4
        #expect(Self.crc32c([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(Self.crc32c((0..<32).map { UInt8($0) }) == 0x46DD_794E)
        #expect(Self.crc32c(Self.fox) == 0x2262_0404)
    }

    @Test func crc32cContinuesOverMoreBytes() {
        let bytes = (0..<1000).map { UInt8($0 % 251) }
        #expect(Self.crc32c(bytes) == 0x11F6_6220)
        for split in [1, 7, 8, 63, 500, 999] {
            #expect(Self.crc32c(Array(bytes[split...]), continuing: Self.crc32c(Array(bytes[..<split]))) == 0x11F6_6220)
        }
    }

    @Test func xxh32MatchesThePublishedVectors() {
        #expect(Self.xxh32([]) == 0x02CC_5D05)  // xxHash's sanity check
        #expect(Self.xxh32([], seed: 0x9E37_79B1) == 0x36B7_8AE7)
        #expect(Self.xxh32(Array("a".utf8)) == 0x550D_7456)
        #expect(Self.xxh32(Array("abc".utf8)) == 0x32D1_53FF)
        #expect(Self.xxh32(Array("123456789".utf8)) == 0x937B_AD67)
        #expect(Self.xxh32(Self.fox) == 0xE85E_A4DE)
        #expect(Self.xxh32(Self.fox, seed: 0x9E37_79B1) == 0x98C7_F3BF)
        #expect(Self.xxh32((0..<1000).map { UInt8($0 % 251) }) == 0x30DD_1330)
    }

    /// The streaming state (an LZ4 frame's content checksum, block by block) gives the one-shot value.
    @Test func xxh32StreamedInPiecesEqualsTheOneShotValue() {
        let bytes = (0..<1000).map { UInt8($0 % 251) }
        for pieces in [[1000], [1, 999], [3, 13, 16, 968], [15, 1, 16, 17, 951], [500, 0, 500]] {
            var state = teamlog_xxh32_state()
            teamlog_xxh32_reset(&state, 0)
            var start = 0
            for count in pieces {
                bytes.withUnsafeBytes { teamlog_xxh32_update(&state, $0.baseAddress! + start, count) }
                start += count
            }
            #expect(teamlog_xxh32_digest(&state) == 0x30DD_1330, "pieces \(pieces)")
        }
    }

    /// The header of an LZ4 frame as the LZ4 library writes it with content checksums (`lz4 -B4`:
    /// independent 64 KB blocks): its checksum byte 0xA7 is the second byte of the XXH32 of FLG and BD.
    @Test func anLZ4FrameHeaderOfTheStockToolParses() {
        let header: [UInt8] = [0x04, 0x22, 0x4D, 0x18, 0x64, 0x40, 0xA7]
        let parsed = header.withUnsafeBytes { LZ4FrameFormat.parseHeader($0) }
        guard case let .frame(descriptor) = parsed else {
            Issue.record("not parsed: \(parsed)")
            return
        }
        #expect(descriptor.headerLength == 7)
        #expect(descriptor.maxBlockSize == 64 << 10)
        #expect(descriptor.contentChecksum && descriptor.blockIndependent && !descriptor.blockChecksum)
        var damaged = header
        damaged[6] = 0xA6
        guard case .invalid = damaged.withUnsafeBytes({ LZ4FrameFormat.parseHeader($0) }) else {
            Issue.record("a wrong header checksum was accepted")
            return
        }
    }

    @Test func murmur3MatchesTheReferenceImplementation() {
        #expect(Self.murmur3([], seed: 0) == [0, 0])
        #expect(Self.murmur3(Self.fox, seed: 0) == [0xE34B_BC7B_BC07_1B6C, 0x7A43_3CA9_C49A_9347])
        #expect(Self.murmur3(Array("a".utf8), seed: 0) == [0x8555_5565_F659_7889, 0xE6B5_3A48_510E_895A])
        #expect(Self.murmur3(Array("123456789".utf8), seed: 0) == [0x3C84_645E_DB66_CCA4, 0x99F8_FAC7_3A1E_A105])
        #expect(Self.murmur3([UInt8](repeating: 0xFF, count: 32), seed: 0) == [0x7592_E77D_C551_13F1, 0x6C23_2C39_AA5D_9F16])
        #expect(Self.murmur3((0..<1000).map { UInt8($0 % 251) }, seed: 0) == [0xD7E1_6241_6FA3_A01C, 0x3A12_C3F0_73F1_099E])
    }

    /// The disk hash table's keys: MurmurHash3 x64 128 with the table's seed, the low bit of the
    /// first word set (never the empty slot's marker).
    @Test func theHashTableKeysAreMurmur3WithTheTableSeed() {
        let fox = DiskHashTable.Key("The quick brown fox jumps over the lazy dog")
        #expect(fox.a == 0x8843_83FB_81E5_66BD && fox.b == 0x7D81_9867_F7A5_65CA)
        let empty = DiskHashTable.Key("")
        #expect(empty.a == 0x6909_5511_3314_DF01 && empty.b == 0xD47E_118D_6B0E_1FE0)
        let abc = DiskHashTable.Key("abc")
        #expect(abc.a == 0x7F5B_6D9D_0C25_4659 && abc.b == 0xEFC6_77BE_67D6_C54B)  // 0x…58 with the low bit set
    }
}
