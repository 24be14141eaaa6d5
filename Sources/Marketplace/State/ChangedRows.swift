/// Records changed since the last save, not yet encoded (see `RecordCache.drain`). An id may be
/// listed more than once, always with the same (latest) record.
struct ChangedRows<Record: StateRecord>: Sendable {
    var changed: [(id: String, record: Record?)]

    var count: Int { changed.count }

    /// Appends the rows as the store saves them: `<prefix><id>` -> bytes (nil: delete).
    func encode(into rows: inout [(key: String, value: [UInt8]?)]) {
        var seen = Set<String>()
        seen.reserveCapacity(changed.count)
        for (id, record) in changed where seen.insert(id).inserted {
            rows.append((Record.keyPrefix + id, record?.stateBytes))
        }
    }
}
