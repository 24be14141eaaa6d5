/// Records of one kind, read through from the state store and written back on flush.
struct RecordCache<Record: StateRecord> {
    /// id -> record; a stored nil means "known not to exist".
    private(set) var entries: [String: Record?] = [:]
    private var dirty: Set<String> = []

    var count: Int { entries.count }
    var dirtyCount: Int { dirty.count }

    mutating func get(_ id: String, from store: any DecisionStateStore) throws(MarketplaceError) -> Record? {
        if let cached = entries[id] { return cached }
        var record: Record?
        if let bytes = try store.load(Record.keyPrefix + id) {
            do throws(StateRecordError) { record = try Record(stateBytes: bytes) } catch { throw .state(error.reason) }
        }
        entries[id] = .some(record)
        return record
    }

    mutating func set(_ id: String, _ record: Record?) {
        entries[id] = .some(record)
        dirty.insert(id)
    }

    /// Moves the changed rows into `rows` (nil value: delete).
    mutating func drain(into rows: inout [(key: String, value: [UInt8]?)]) {
        for id in dirty {
            let record = entries[id] ?? nil
            rows.append((Record.keyPrefix + id, record?.stateBytes))
        }
        dirty.removeAll(keepingCapacity: true)
    }

    mutating func clear() {
        entries.removeAll()
        dirty.removeAll()
    }
}
