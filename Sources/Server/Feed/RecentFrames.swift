import Application
import EventLog
import Foundation

/// The SSE frames of the most recent durable events, rendered once and shared by every subscriber at
/// the head: with 100 live subscribers, the newest events are read from the log and turned into JSON
/// once, not 100 times. A subscriber further behind than the cache holds reads the log itself.
/// Bounded: it keeps the last `capacity` events.
final class RecentFrames: @unchecked Sendable {
    struct Frame {
        let position: UInt64
        let stream: String
        let type: String
        /// The frame with the payload, and without it (address streams masked).
        let full: String
        let bare: String
    }

    private let store: any EventStoreReader
    private let capacity: Int
    private let lock = NSLock()
    /// Contiguous positions, oldest first.
    private var frames: [Frame] = []
    /// Serializes the reads that extend the cache (one reader fills it; the others wait and share).
    private let filling = NSLock()

    init(store: any EventStoreReader, capacity: Int = 16_384) {
        self.store = store
        self.capacity = capacity
    }

    /// The text of the events in `from...through` that `filter` selects, or nil when `from` is older
    /// than the cache keeps (the caller then reads the log itself).
    func text(from: UInt64, through: UInt64, filter: EventFilter, showPayload: Bool) throws -> String? {
        guard from <= through else { return "" }
        if let cached = cachedText(from: from, through: through, filter: filter, showPayload: showPayload) { return cached }
        filling.lock()
        defer { filling.unlock() }
        // Another subscriber may have filled it meanwhile.
        if let cached = cachedText(from: from, through: through, filter: filter, showPayload: showPayload) { return cached }
        let bounds = lock.withLock { (first: frames.first?.position, last: frames.last?.position) }
        if let first = bounds.first, let last = bounds.last, from <= last + 1 {
            // Older than the cache keeps: the caller reads the log itself.
            guard from >= first else { return nil }
            try extend(through: through)
        } else {
            // Empty, or no subscriber asked for a while: start again where this one stands.
            try read(from: from, through: through, replacing: true)
        }
        return cachedText(from: from, through: through, filter: filter, showPayload: showPayload)
    }

    private func extend(through: UInt64) throws {
        let next = lock.withLock { (frames.last?.position ?? 0) + 1 }
        guard next <= through else { return }
        try read(from: next, through: through, replacing: false)
    }

    private func read(from: UInt64, through: UInt64, replacing: Bool) throws {
        var read: [Frame] = []
        do throws(EventLogError) {
            let cursor = try store.events(from: from, filter: EventFilter(untilPosition: through))
            while let event = try cursor.next() {
                let bare = EventJSON.object(event, showPayload: false)
                let full = EventJSON.object(event, showPayload: true)
                read.append(Frame(position: event.position, stream: event.stream, type: event.type,
                                  full: "id: \(event.position)\nevent: \(event.type)\ndata: \(full)\n\n",
                                  bare: "id: \(event.position)\nevent: \(event.type)\ndata: \(bare)\n\n"))
            }
        } catch {
            throw Problem(ApplicationError(log: error))
        }
        lock.withLock {
            if replacing { frames = [] }
            guard let first = read.first, frames.isEmpty || first.position == (frames.last?.position ?? 0) + 1 else { return }
            frames += read
            if frames.count > capacity { frames.removeFirst(frames.count - capacity) }
        }
    }

    private func cachedText(from: UInt64, through: UInt64, filter: EventFilter, showPayload: Bool) -> String? {
        lock.withLock {
            guard let first = frames.first?.position, let last = frames.last?.position,
                  from >= first, through <= last else { return nil }
            var text = ""
            for frame in frames[Int(from - first)...Int(through - first)] {
                if let streams = filter.streams, !streams.contains(frame.stream) { continue }
                if let types = filter.types, !types.contains(frame.type) { continue }
                text += showPayload ? frame.full : frame.bare
            }
            return text
        }
    }
}
