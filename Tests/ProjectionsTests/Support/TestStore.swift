import EventLog
import Events
import Foundation
import Synchronization

/// An in-memory log whose clock advances one second per commit from a fixed start, so that the same
/// commits always get the same times.
func makeStore() -> InMemoryEventStore {
    let tick = Mutex<Int64>(1_700_000_000_000_000)
    return InMemoryEventStore(storeId: StoreID(bytes: Array(repeating: 7, count: 16)), clock: {
        tick.withLock { now in
            now += 1_000_000
            return now
        }
    })
}

extension EventStore {
    /// Appends the events as one commit.
    @discardableResult
    func commit(_ events: [any EventPayload], actor: String = "tester") throws -> CommitResult {
        try append(ProposedCommit(
            events: events.map { ProposedEvent(stream: $0.stream, type: type(of: $0).eventType,
                                               schemaVersion: type(of: $0).schemaVersion, payload: $0.encodedPayload()) },
            actor: actor))
    }

    /// Appends `count` generic events spread over a few streams, one commit each `perCommit` events.
    func appendGeneric(_ count: Int, perCommit: Int = 7, streams: Int = 13, seed: Int = 0) throws {
        var remaining = count
        var index = seed
        while remaining > 0 {
            let size = min(perCommit, remaining)
            let events = (0..<size).map { offset in
                let n = index + offset
                return ProposedEvent(stream: "s-\(n % streams)", type: n % 3 == 0 ? "Odd" : "Even",
                                     payload: Array("{\"n\":\(n)}".utf8))
            }
            try append(ProposedCommit(events: events, actor: "gen"))
            index += size
            remaining -= size
        }
    }
}

/// The first `limit` events of another store (as a log that stopped there).
final class PrefixStore: EventStoreReader {
    let base: any EventStoreReader
    let limit: UInt64
    var storeId: StoreID { base.storeId }

    init(_ base: any EventStoreReader, limit: UInt64) {
        self.base = base
        self.limit = limit
    }

    func head() throws(EventLogError) -> LogHead {
        let head = try base.head()
        return LogHead(position: min(head.position, limit), commits: 0, hash: head.hash)
    }
    func streamVersion(_ stream: String) throws(EventLogError) -> UInt64 { try base.streamVersion(stream) }
    func events(from position: UInt64, filter: EventFilter) throws(EventLogError) -> any EventCursor {
        var filter = filter
        filter.untilPosition = min(filter.untilPosition ?? limit, limit)
        return try base.events(from: position, filter: filter)
    }
    func readChunks(from position: UInt64, filter: EventFilter) throws(EventLogError) -> EventChunkReader {
        var filter = filter
        filter.untilPosition = min(filter.untilPosition ?? limit, limit)
        return try base.readChunks(from: position, filter: filter)
    }
}

/// A fresh temporary directory, removed when released.
final class TemporaryDirectory {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "teamlog-proj-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
