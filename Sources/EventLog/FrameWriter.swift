import CLZ4
import CChecksums

/// Writes one LZ4 frame incrementally: linked 64 KiB blocks, each with its checksum (so that
/// any changed byte of compressed data is caught), a content checksum, each `append`
/// flushed to whole blocks so that every write ends on a block boundary. The frame is always
/// terminated by `finish()`, which writes the end mark and the content checksum computed here over
/// the bytes that were really written — so a frame can be closed correctly after a failed write.
final class FrameWriter {
    private var context: OpaquePointer?
    private var preferences: LZ4F_preferences_t
    private var checksum = teamlog_xxh32_state()
    private(set) var decompressedBytes = 0
    private(set) var isOpen = false
    private var scratch: [UInt8] = []
    private let compressed = RawBuffer(capacity: 1 << 20)

    init(compressionLevel: Int32 = 0) {
        var preferences = LZ4F_preferences_t()
        preferences.frameInfo.blockSizeID = LZ4F_max64KB
        preferences.frameInfo.blockMode = LZ4F_blockLinked
        preferences.frameInfo.contentChecksumFlag = LZ4F_contentChecksumEnabled
        preferences.frameInfo.blockChecksumFlag = LZ4F_blockChecksumEnabled
        preferences.compressionLevel = compressionLevel
        preferences.autoFlush = 1
        self.preferences = preferences
    }

    deinit {
        if let context { LZ4F_freeCompressionContext(context) }
    }

    /// Appends the frame header to `output` and opens the frame.
    func begin(into output: inout [UInt8]) {
        if context == nil {
            var created: OpaquePointer?
            let code = LZ4F_createCompressionContext(&created, UInt32(LZ4F_VERSION))
            precondition(LZ4F_isError(code) == 0, "LZ4F_createCompressionContext failed")
            context = created
        }
        scratch = [UInt8](repeating: 0, count: Int(LZ4F_HEADER_SIZE_MAX))
        let written = scratch.withUnsafeMutableBytes { raw in
            LZ4F_compressBegin(context, raw.baseAddress, raw.count, &preferences)
        }
        precondition(LZ4F_isError(written) == 0, "LZ4F_compressBegin failed")
        output.append(contentsOf: scratch[0..<written])
        teamlog_xxh32_reset(&checksum, 0)
        decompressedBytes = 0
        isOpen = true
    }

    /// Compresses `input` into whole blocks appended to `output`.
    func append(_ input: [UInt8], into output: inout [UInt8]) {
        precondition(isOpen, "append to a frame that is not open")
        let bound = LZ4F_compressBound(input.count, &preferences)
        compressed.reserve(bound)
        let written = input.withUnsafeBytes { source in
            LZ4F_compressUpdate(context, compressed.base, bound, source.baseAddress, source.count, nil)
        }
        precondition(LZ4F_isError(written) == 0, "LZ4F_compressUpdate failed")
        output.append(contentsOf: UnsafeRawBufferPointer(start: compressed.base, count: written))
    }

    /// Records that the bytes given to the last `append` calls are now durable parts of the frame.
    func confirm(_ input: [UInt8]) {
        input.withUnsafeBytes { teamlog_xxh32_update(&checksum, $0.baseAddress, $0.count) }
        decompressedBytes += input.count
    }

    /// Appends the end mark and content checksum, closing the frame.
    func finish(into output: inout [UInt8]) {
        guard isOpen else { return }
        output.appendLE(LZ4FrameFormat.endMark)
        output.appendLE(teamlog_xxh32_digest(&checksum))
        isOpen = false
    }

    /// Forgets the frame without writing anything (after a failed write the caller truncates the file).
    func abandon() {
        isOpen = false
    }

    /// The content checksum state of the frame so far, to terminate it later.
    func contentChecksum() -> UInt32 {
        teamlog_xxh32_digest(&checksum)
    }
}
