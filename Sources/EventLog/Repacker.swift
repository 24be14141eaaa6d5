import Foundation

/// Rewrites a segment's commits into frames of about `frameTargetBytes` each: same records, same
/// positions, same hash chain; only the LZ4 framing changes. Atomic: a new file renamed over the old.
struct Repacker {
    let layout: StoreLayout
    let storeId: StoreID
    let frameTargetBytes: Int
    var compressionLevel: Int32 = 0

    func repack(segment: SegmentName) throws(EventLogError) {
        let path = layout.segmentPath(segment.fileName)
        let source = try PosixFile.openForReading(path)
        let scanner = SegmentScanner(file: source, segment: segment, checkContentChecksums: true)
        let header = try scanner.header(expectedStoreId: storeId)
        let temporary = path + ".repack.tmp"
        let target = try PosixFile.open(temporary, flags: O_WRONLY | O_CREAT | O_TRUNC)
        var output = header.encoded
        var offset: UInt64 = 0
        let frame = FrameWriter(compressionLevel: compressionLevel)
        var pending: [UInt8] = []

        func flush(final: Bool) throws(EventLogError) {
            if !pending.isEmpty {
                if !frame.isOpen { frame.begin(into: &output) }
                frame.append(pending, into: &output)
                frame.confirm(pending)
                pending.removeAll(keepingCapacity: true)
            }
            if frame.isOpen && (final || frame.decompressedBytes >= frameTargetBytes) { frame.finish(into: &output) }
            if output.count >= 1 << 20 || final {
                try target.write(output, at: offset)
                offset += UInt64(output.count)
                output.removeAll(keepingCapacity: true)
            }
        }

        let result = try scanner.scan(from: .init(offset: UInt64(SegmentHeader.encodedLength), position: header.firstPosition,
                                                  chain: HashChain(value: header.chainBefore), commits: 0)) { record throws(EventLogError) in
            pending.append(contentsOf: record.bytes)
            if pending.count >= 64 << 10 { try flush(final: false) }
        }
        guard result.ending == .frameBoundary else {
            throw .corrupt(LogLocation(segment: segment.fileName, fileOffset: 0, position: result.nextPosition),
                           reason: "cannot repack a segment that does not end on a frame boundary")
        }
        try flush(final: true)
        try target.sync()
        target.close()
        try PosixFile.rename(temporary, to: path)
    }
}
