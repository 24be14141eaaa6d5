import Foundation
import PosixFiles

extension EventLog {
    /// Reads that name streams or actors go through the audit index; others are plain reads.
    func indexedCursor(from position: UInt64, filter: EventFilter) throws(EventLogError) -> IndexedLogCursor? {
        guard filter.streams != nil || filter.actors != nil else { return nil }
        let frames = frameIndex()
        let from = max(position, 1)
        // A read within one frame (the live feed's, near the head) is as cheap without the index, and
        // must not wait for it to be built.
        let firstFrame = frames.entry(atOrBefore: from)?.firstPosition
        if let last = frames.entries.last, from >= last.firstPosition { return nil }
        if let until = filter.untilPosition, until >= from, frames.entry(atOrBefore: until)?.firstPosition == firstFrame { return nil }
        // A run found damaged while read is removed and the index prepared again (once); then a scan.
        for _ in 0..<2 {
            let index = AuditIndex.prepare(layout: layout, storeId: storeId, frames: frames)
            do throws(EventLogError) {
                let candidates = try index.candidates(filter, from: from)
                return IndexedLogCursor(candidates: candidates, frames: frames, covered: index.covered, from: from, filter: filter) {
                    [layout, storeId] (start: UInt64, filter: EventFilter) throws(EventLogError) -> LogCursor in
                    try LogCursor(layout: layout, storeId: storeId, index: frames, from: start, filter: filter)
                }
            } catch {
                if case let .derivedFileDamaged(path, _) = error { try? PosixFile.remove(path) } else { throw error }
            }
        }
        return nil
    }

    /// The last `count` events from `position` that match `filter`, in log order. Reads that name
    /// streams or actors read only what the audit index points at; others scan (memory bounded by `count`).
    public func lastEvents(_ count: Int, from position: UInt64 = 1, filter: EventFilter) throws(EventLogError) -> [RecordedEvent] {
        guard count > 0 else { return [] }
        if let cursor = try indexedCursor(from: position, filter: filter) { return try cursor.last(count) }
        let cursor = try readInParallel(from: position, filter: filter)
        var events: [RecordedEvent] = []
        while let event = try cursor.next() {
            events.append(event)
            if events.count >= 2 * count { events.removeFirst(events.count - count) }
        }
        return Array(events.suffix(count))
    }

    /// The audit index, brought up to the log's last frame when this process can write it (as any indexed
    /// read does), and what it holds.
    public func auditIndexStatus() -> AuditIndexStatus {
        let frames = frameIndex()
        let loaded = AuditIndex.load(layout: layout, storeId: storeId, frames: frames)
        let index = AuditIndex.prepare(layout: layout, storeId: storeId, frames: frames)
        return AuditIndexStatus(coveredPosition: index.covered, runs: index.runs.map { ($0.path as NSString).lastPathComponent },
                                bytes: index.bytes, problems: loaded.rejected.map { "\($0.path): \($0.reason)" })
    }

    /// Checks the audit index without changing it (verify): every file in use in full, and the files that
    /// are not used, with why. Each problem names its file and says what to do.
    func checkAuditIndex() -> [String] {
        let index = AuditIndex.load(layout: layout, storeId: storeId, frames: frameIndex())
        return index.checkWhole().map { problem in
            "audit index file \(problem.path) is not used: \(problem.reason); it is derived from the log: the next "
                + "`teamlog log --stream/--actor` removes and rebuilds it (or delete it)"
        }
    }
}
