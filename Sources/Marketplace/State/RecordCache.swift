/// Records of one kind, read through from the state store and written back on save.
///
/// Every change remembers what the cache held before it (once per id between saves), so the changes
/// made since the last save can be undone exactly (`rollback`) without dropping the cache.
struct RecordCache<Record: StateRecord> {
    /// What the cache held for an id before its first change since the last save.
    private enum Original {
        /// Nothing: the id had not been read from the store.
        case uncached
        case cached(Record?)
    }

    /// id -> record; a stored nil means "known not to exist".
    private(set) var entries: [String: Record?] = [:]
    /// The ids changed since the last save, with what they held before.
    private var originals: [String: Original] = [:]

    var count: Int { entries.count }
    var dirtyCount: Int { originals.count }

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
        let previous: Record?? = entries.updateValue(record, forKey: id)
        if originals[id] == nil {
            if let previous {
                originals[id] = .cached(previous)
            } else {
                originals[id] = .uncached
            }
        }
    }

    /// Takes the changed rows (nil: delete); they become the saved state. Encoding them is left to
    /// the returned batch, so that the writer's thread does it.
    mutating func drain() -> ChangedRows<Record> {
        var changed: [(id: String, record: Record?)] = []
        changed.reserveCapacity(originals.count)
        for id in originals.keys {
            changed.append((id, entries[id] ?? nil))
        }
        originals.removeAll(keepingCapacity: true)
        return ChangedRows(changed: changed)
    }

    /// Undoes every change since the last save: the cache holds the saved state again.
    mutating func rollback() {
        for (id, original) in originals {
            switch original {
            case .uncached: entries.removeValue(forKey: id)
            case .cached(let record): entries[id] = .some(record)
            }
        }
        originals.removeAll(keepingCapacity: true)
    }

    mutating func clear() {
        entries.removeAll()
        originals.removeAll()
    }
}
