import Foundation
import PosixFiles

/// Rewrites a segment's commits into frames of about `frameTargetBytes` each: same records, same
/// positions, same hash chain; only the LZ4 framing changes. Atomic: a new file renamed over the old.
struct Repacker {
    let layout: StoreLayout
    let storeId: StoreID
    let frameTargetBytes: Int
    var compressionLevel: Int32 = 0

    /// `keepingThrough`: keep only the commits up to that position and drop the rest of the file,
    /// whatever it holds (for `recover --accept-loss`, which has decided to cut there).
    func repack(segment: SegmentName, keepingThrough: UInt64? = nil) throws(EventLogError) {
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

        var keptThrough = header.firstPosition - 1
        do throws(EventLogError) {
            let result = try scanner.scan(from: .init(offset: UInt64(SegmentHeader.encodedLength), position: header.firstPosition,
                                                      chain: HashChain(value: header.chainBefore), commits: 0)) { record throws(EventLogError) in
                let last = record.firstPosition + UInt64(record.eventCount) - 1
                if let keepingThrough, last > keepingThrough { return }
                pending.append(contentsOf: record.bytes)
                keptThrough = last
                if pending.count >= 64 << 10 { try flush(final: false) }
            }
            if keepingThrough == nil, result.ending != .frameBoundary {
                throw EventLogError.corrupt(LogLocation(segment: segment.fileName, fileOffset: 0, position: result.nextPosition),
                                            reason: "cannot repack a segment that does not end on a frame boundary")
            }
        } catch {
            // Cutting: damage after the last commit kept is what is being cut.
            guard let keepingThrough, keptThrough == keepingThrough else {
                try? PosixFile.remove(temporary)
                throw error
            }
        }
        try flush(final: true)
        try target.sync()
        target.close()
        try PosixFile.rename(temporary, over: path)
    }
}
