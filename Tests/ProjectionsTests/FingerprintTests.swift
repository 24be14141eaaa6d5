import EventLog
import Foundation
import GRDB
import Projections
import Testing

/// Rows of every SQLite value kind, in two tables, for the fingerprint's golden value.
struct ValueKindsProjection: Projection {
    var name = "value_kinds"
    var schemaVersion = 1
    var tables = ["tp_kinds", "tp_a_pairs"]
    var schema = [
        "CREATE TABLE tp_kinds (position INTEGER PRIMARY KEY, stream TEXT NOT NULL, ratio REAL, raw BLOB, absent TEXT)",
        "CREATE TABLE tp_a_pairs (k TEXT NOT NULL, n INTEGER NOT NULL, v TEXT, PRIMARY KEY (k, n)) WITHOUT ROWID",
    ]

    func apply(_ event: RecordedEvent, in context: ProjectionContext) throws {
        let n = Int64(event.position)
        try context.db.execute(sql: "INSERT INTO tp_kinds VALUES (?, ?, ?, ?, NULL)",
                               arguments: [n, event.stream, Double(n) / 3, Data(event.stream.utf8.reversed()) + Data(count: Int(n % 3))])
        try context.db.execute(sql: "INSERT INTO tp_a_pairs VALUES (?, ?, ?)",
                               arguments: [event.stream, -n * 1_000_003, n % 4 == 0 ? nil : "caf\u{E9} \u{1F600} #\(n)"])
    }
}

@Suite struct FingerprintTests {
    /// The fingerprint is part of the audit contract (docs/READ-MODELS.md, "The runner"): SHA-256 over the tables in
    /// name order, each table's rows in primary-key order, each value with a type tag and, for text and
    /// blobs, its length. Any change to how it is computed must keep this value.
    @Test func theFingerprintOfAKnownViewIsStable() throws {
        let store = makeStore()
        try store.appendGeneric(200)
        let dir = TemporaryDirectory()
        let runner = try ProjectionRunner(storeDirectory: dir.path, projections: [ValueKindsProjection()],
                                          options: ProjectionRunnerOptions(missingViews: .createEmpty))
        try runner.catchUp(store)
        let live = try #require(try runner.status().first?.fingerprint)
        #expect(live == "bfe326166681a436781309774d2a7d51d3dd734bd5c62f0dd02430ed22458954")
        // A rebuild computes it the other way round (after a bulk load) and must agree.
        let rebuilt = try runner.rebuild(store)
        #expect(rebuilt.views.first?.fingerprint == live)
    }
}
