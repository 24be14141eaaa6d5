import EventLog
import Foundation
import GRDB

/// What a store holds, in a form two stores can be compared by: the log's commits without what differs
/// between two runs of the same commands (recorded-at times, event ids), and the views' rows without
/// their `*_micros` times.
struct StoreContents {
    /// One commit: its command id, first position, event count, and a digest of its events (stream,
    /// version, type, schema version, actor, correlation id, payload).
    struct Commit: Equatable, CustomStringConvertible {
        var commandId: String?
        var position: UInt64
        var events: Int
        var digest: UInt64

        var description: String { "commit \(commandId ?? "-") at \(position) (\(events) events)" }
    }

    static func commits(store: String) throws -> [Commit] {
        let log = try EventLog.open(directory: store, options: .readOnly)
        defer { log.close() }
        var commits: [Commit] = []
        let cursor = try log.read()
        while let event = try cursor.next() {
            if event.position == event.commitPosition {
                commits.append(Commit(commandId: event.commandId, position: event.position, events: 0, digest: 0xcbf2_9ce4_8422_2325))
            }
            guard var commit = commits.popLast(), commit.position == event.commitPosition else {
                throw TestKitError("event \(event.position) is not in its commit \(event.commitPosition): a partial commit")
            }
            commit.events += 1
            for text in [event.stream, String(event.streamVersion), event.type, String(event.schemaVersion), event.actor,
                         event.correlationId ?? ""] {
                fnv(Array(text.utf8) + [0], into: &commit.digest)
            }
            fnv(event.payload, into: &commit.digest)
            commits.append(commit)
        }
        return commits
    }

    private static func fnv(_ bytes: [UInt8], into hash: inout UInt64) {
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    }

    /// Every view's tables as sorted lines of values, without `*_micros` columns and the checkpoint's
    /// fingerprint (which covers them): `["inbox.inbox_threads": ["th1|interview|…", …], …]`.
    static func views(store: String) throws -> [String: [String]] {
        let directory = store + "/views"
        var tables: [String: [String]] = [:]
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter {
            $0.hasSuffix(".sqlite") && !$0.contains(".rebuilding.")
        }
        for file in files.sorted() {
            var configuration = Configuration()
            configuration.readonly = true
            let queue = try DatabaseQueue(path: directory + "/" + file, configuration: configuration)
            try queue.read { db in
                let names = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
                // `projection_store` names the store a view was built from: a twin store's differs by design.
                for name in names where name != "projection_store" {
                    let columns = try Row.fetchAll(db, sql: "PRAGMA table_info(\(name.quotedDatabaseIdentifier))")
                        .compactMap { $0["name"] as String? }
                        .filter { !$0.hasSuffix("_micros") && !$0.hasPrefix("fingerprint") }
                    let list = columns.map(\.quotedDatabaseIdentifier).joined(separator: ", ")
                    let rows = try Row.fetchAll(db, sql: "SELECT \(list) FROM \(name.quotedDatabaseIdentifier)")
                    tables[file + "." + name] = rows.map { row in
                        row.databaseValues.map { $0.description }.joined(separator: "|")
                    }.sorted()
                }
            }
            try queue.close()
        }
        return tables
    }

    /// The first difference between two views' dumps, or nil when they are equal.
    static func difference(_ a: [String: [String]], _ b: [String: [String]]) -> String? {
        for table in Set(a.keys).union(b.keys).sorted() {
            let left = a[table] ?? [], right = b[table] ?? []
            guard left != right else { continue }
            let first = zip(left, right).first { $0 != $1 }.map { "\($0.0) vs \($0.1)" } ?? "\(left.count) rows vs \(right.count)"
            return "\(table): \(first)"
        }
        return nil
    }
}
