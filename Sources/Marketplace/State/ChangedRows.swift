/// Records changed since the last save, not yet encoded (see `RecordCache.drain`).
struct ChangedRows<Record: StateRecord>: Sendable {
    var changed: [(id: String, record: Record?)]

    var count: Int { changed.count }

    /// Appends the rows as the store saves them: `<prefix><id>` -> bytes (nil: delete).
    func encode(into rows: inout [(key: String, value: [UInt8]?)]) {
        for (id, record) in changed {
            rows.append((Record.keyPrefix + id, record?.stateBytes))
        }
    }
}
