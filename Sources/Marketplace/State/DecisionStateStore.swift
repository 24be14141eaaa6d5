import Synchronization

/// Where the decision state's rows live between processes: key -> bytes, plus the log position they
/// cover (the checkpoint), saved together atomically.
public protocol DecisionStateStore: AnyObject, Sendable {
    /// The last log position the saved rows cover (0: nothing saved).
    func checkpoint() throws(MarketplaceError) -> UInt64
    /// The row saved under `key`, if any.
    func load(_ key: String) throws(MarketplaceError) -> [UInt8]?
    /// Saves rows (a nil value deletes) and the new checkpoint in one atomic step.
    func save(_ rows: [(key: String, value: [UInt8]?)], checkpoint: UInt64) throws(MarketplaceError)
    /// Deletes every row and sets the checkpoint to 0 (the state is then rebuilt from the log).
    func reset() throws(MarketplaceError)
}

/// A `DecisionStateStore` in memory: for tests, and for processes that rebuild their state on start.
/// Share one instance between `Marketplace` instances to model a process restart.
public final class InMemoryDecisionStateStore: DecisionStateStore {
    private struct Contents {
        var rows: [String: [UInt8]] = [:]
        var checkpoint: UInt64 = 0
    }

    private let contents = Mutex(Contents())

    public init() {}

    public func checkpoint() throws(MarketplaceError) -> UInt64 {
        contents.withLock { $0.checkpoint }
    }

    public func load(_ key: String) throws(MarketplaceError) -> [UInt8]? {
        contents.withLock { $0.rows[key] }
    }

    public func save(_ rows: [(key: String, value: [UInt8]?)], checkpoint: UInt64) throws(MarketplaceError) {
        contents.withLock { contents in
            for row in rows { contents.rows[row.key] = row.value }
            contents.checkpoint = checkpoint
        }
    }

    public func reset() throws(MarketplaceError) {
        contents.withLock { $0 = Contents() }
    }

    /// How many rows are saved (for tests).
    public var rowCount: Int { contents.withLock { $0.rows.count } }
}
