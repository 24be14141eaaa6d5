/// Records of one kind, read through from the state store and written back on save.
///
/// Every change appends what the cache held before it to an undo log, so the changes made since the
/// last save can be undone exactly (`rollback`, newest first) without dropping the cache. An append is
/// cheaper than a second dictionary per change; the log also lists the ids to write on save.
struct RecordCache<Record: StateRecord> {
    /// What the cache held for an id before its first change since the last save.
    private enum Original {
        /// Nothing: the id had not been read from the store.
        case uncached
        case cached(Record?)
    }

    /// id -> record; a stored nil means "known not to exist".
    private(set) var entries: [String: Record?] = [:]
    /// The changes since the last save, oldest first: the id and what it held before.
    private var undoLog: [(id: String, before: Original)] = []

    var count: Int { entries.count }
    var dirtyCount: Int { undoLog.count }

    /// The record for `id`. When `complete` (the cache holds every row of the store), a miss means the
    /// record does not exist and the store is not asked.
    mutating func get(_ id: String, from store: any DecisionStateStore, complete: Bool) throws(MarketplaceError) -> Record? {
        if let cached = entries[id] { return cached }
        if complete { return nil }
        var record: Record?
        if let bytes = try store.load(Record.keyPrefix + id) {
            do throws(StateRecordError) { record = try Record(stateBytes: bytes) } catch { throw .state(error.reason) }
        }
        entries[id] = .some(record)
        return record
    }

    mutating func set(_ id: String, _ record: Record?) {
        if let previous = entries.updateValue(record, forKey: id) {
            undoLog.append((id, .cached(previous)))
        } else {
            undoLog.append((id, .uncached))
        }
    }

    /// Takes the changed rows (nil: delete); they become the saved state. Encoding them is left to
    /// the returned batch, so that the writer's thread does it.
    mutating func drain() -> ChangedRows<Record> {
        var changed: [(id: String, record: Record?)] = []
        changed.reserveCapacity(undoLog.count)
        for change in undoLog {
            // An id changed several times is listed as often, each time with its latest record.
            changed.append((change.id, entries[change.id] ?? nil))
        }
        undoLog.removeAll(keepingCapacity: true)
        return ChangedRows(changed: changed)
    }

    /// Undoes every change since the last save: the cache holds the saved state again.
    mutating func rollback() {
        for change in undoLog.reversed() {
            switch change.before {
            case .uncached: entries.removeValue(forKey: change.id)
            case .cached(let record): entries[change.id] = .some(record)
            }
        }
        undoLog.removeAll(keepingCapacity: true)
    }

    mutating func clear() {
        entries.removeAll()
        undoLog.removeAll()
    }
}
