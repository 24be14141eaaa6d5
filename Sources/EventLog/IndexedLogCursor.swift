import Foundation
/// A read of the events of named streams or actors through the audit index: it reads only the frames
/// that hold candidates (each frame once, from the first candidate in it to the last), then scans what
/// lies beyond the index (at most the frames after its end). Every event it returns passes the read's
/// whole filter, so it gives the same events, in the same order, as a scan of the whole log.
final class IndexedLogCursor: EventCursor {
    /// Opens a plain cursor from a position with a filter.
    typealias Open = (UInt64, EventFilter) throws(EventLogError) -> LogCursor

    private let open: Open
    private let filter: EventFilter
    /// Position ranges to read, ascending: the candidates of one frame each.
    private let groups: [ClosedRange<UInt64>]
    private var nextGroup = 0
    /// Where the scan beyond the index starts (nil once started, or when the read ends before it).
    private var tailFrom: UInt64?
    private var current: LogCursor?

    init(candidates: [UInt64], frames: FrameIndex, covered: UInt64, from: UInt64, filter: EventFilter, open: @escaping Open) {
        self.open = open
        self.filter = filter
        var groups: [ClosedRange<UInt64>] = []
        var frameStart: UInt64?
        for position in candidates {
            let start = frames.entry(atOrBefore: position)?.firstPosition ?? 0
            if let last = groups.last, start == frameStart {
                groups[groups.count - 1] = last.lowerBound...position
            } else {
                groups.append(position...position)
                frameStart = start
            }
        }
        self.groups = groups
        let tail = max(covered + 1, from)
        tailFrom = tail <= (filter.untilPosition ?? .max) ? tail : nil
    }

    func next() throws(EventLogError) -> RecordedEvent? {
        // Each pass either returns, or opens the next group or the tail: bounded by the groups.
        while true {
            if let cursor = current, let event = try cursor.next() { return event }
            current = nil
            if nextGroup < groups.count {
                current = try open(groups[nextGroup].lowerBound, bounded(groups[nextGroup]))
                nextGroup += 1
            } else if let tail = tailFrom {
                tailFrom = nil
                current = try open(tail, filter)
            } else {
                return nil
            }
        }
    }

    private func bounded(_ group: ClosedRange<UInt64>) -> EventFilter {
        var bounded = filter
        bounded.untilPosition = min(filter.untilPosition ?? .max, group.upperBound)
        return bounded
    }

    /// The last `count` matching events, in log order: the tail first, then the groups from the newest
    /// back, until enough are found.
    func last(_ count: Int) throws(EventLogError) -> [RecordedEvent] {
        var newest: [RecordedEvent] = []
        if let tail = tailFrom {
            tailFrom = nil
            let cursor = try open(tail, filter)
            while let event = try cursor.next() {
                newest.append(event)
                if newest.count >= 2 * count { newest.removeFirst(newest.count - count) }
            }
        }
        var older: [[RecordedEvent]] = []
        var found = newest.count
        var group = groups.count
        while found < count, group > nextGroup {
            group -= 1
            let events = try open(groups[group].lowerBound, bounded(groups[group])).collect()
            found += events.count
            older.append(events)
        }
        let all = older.reversed().flatMap { $0 } + newest
        return Array(all.suffix(count))
    }
}
