import Foundation
import PosixFiles

/// Where each file of a store lives.
///
/// ```
/// <store>/store.id           the store's identity (16 bytes, hex), also in every segment's header
/// <store>/lock               the writer's pid (for messages); the write lock is a flock on <store> itself
/// <store>/acknowledged       the last acknowledged commit (evidence for recovery; see AcknowledgedHead)
/// <store>/log/<20-digit first position>.lz4   segments: standard LZ4 frames
/// <store>/index/frames.idx   sparse index: one entry per LZ4 frame (derived, rebuildable)
/// <store>/index/streams.tbl  stream -> current version (derived, rebuildable)
/// <store>/index/commands.tbl command id -> first position (derived, rebuildable)
/// <store>/index/audit/       stream and actor -> positions, in runs (derived, rebuilt by readers; AuditIndex)
/// ```
struct StoreLayout: Sendable {
    let root: String

    var storeIdFile: String { root + "/store.id" }
    var lockFile: String { root + "/lock" }
    var acknowledgedFile: String { root + "/acknowledged" }
    var logDirectory: String { root + "/log" }
    var indexDirectory: String { root + "/index" }
    var frameIndexFile: String { indexDirectory + "/frames.idx" }
    var streamsTableFile: String { indexDirectory + "/streams.tbl" }
    var commandsTableFile: String { indexDirectory + "/commands.tbl" }
    var auditIndexDirectory: String { indexDirectory + "/audit" }

    static let segmentSuffix = ".lz4"

    static func segmentName(firstPosition: UInt64) -> String {
        let digits = String(firstPosition)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits + segmentSuffix
    }

    func segmentPath(_ name: String) -> String { logDirectory + "/" + name }

    /// The segments, ordered by first position. Names that are not segments are reported, not ignored.
    /// A missing `log/` holds no segment: whether that loses anything is for the evidence to say.
    func segments() throws(EventLogError) -> [SegmentName] {
        var segments: [SegmentName] = []
        guard PosixFile.exists(logDirectory) else { return [] }
        for name in try PosixFile.listDirectory(logDirectory) {
            if let segment = SegmentName(name) { segments.append(segment) }
        }
        return segments.sorted { $0.firstPosition < $1.firstPosition }
    }

    /// Files in the log directory that are neither segments nor leftovers of an interrupted rewrite.
    func strayFiles() throws(EventLogError) -> [String] {
        guard PosixFile.exists(logDirectory) else { return [] }
        return try PosixFile.listDirectory(logDirectory).filter { SegmentName($0) == nil && !$0.hasSuffix(".tmp") }
    }
}

/// A segment file's name: its first position in 20 digits, then `.lz4`.
struct SegmentName: Sendable, Hashable, CustomStringConvertible {
    let firstPosition: UInt64
    /// Formatted once: readers name their segment in every error and chunk.
    let fileName: String
    var description: String { fileName }

    init(firstPosition: UInt64) {
        self.firstPosition = firstPosition
        fileName = StoreLayout.segmentName(firstPosition: firstPosition)
    }

    init?(_ fileName: String) {
        guard fileName.hasSuffix(StoreLayout.segmentSuffix) else { return nil }
        let digits = fileName.dropLast(StoreLayout.segmentSuffix.count)
        guard digits.count == 20, digits.allSatisfy(\.isASCII), let value = UInt64(digits), value >= 1 else { return nil }
        self.init(firstPosition: value)
    }
}
