import EventLog
import Foundation
import GRDB

/// The checkpoints of what is derived from the log outside `log/` and `index/`: each view file's
/// and the decision state's. Each was written only after the events it covers were in the log, so
/// each is a record of how far the log reached: one past the log's head means acknowledged commits
/// were lost. Read without changing anything (read-only connections).
struct DerivedCheckpoints {
    struct Entry {
        /// What it is, for messages: `view users (views/users.sqlite)`.
        var source: String
        var path: String
        var position: UInt64
    }

    var entries: [Entry] = []
    /// Files that exist but whose checkpoint could not be read (damaged, locked), for notes.
    var unreadable: [String] = []

    static func read(storeDirectory: String) -> DerivedCheckpoints {
        var result = DerivedCheckpoints()
        let views = (storeDirectory as NSString).appendingPathComponent("views")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: views)) ?? []
        for name in names.sorted() where name.hasSuffix(".sqlite") && !name.contains(".rebuilding") {
            let path = (views as NSString).appendingPathComponent(name)
            do {
                let rows = try readOnly(path) { db in
                    try Row.fetchAll(db, sql: "SELECT view, position FROM projection_checkpoint")
                }
                for row in rows {
                    let view: String = row["view"]
                    let position: Int64 = row["position"]
                    result.entries.append(Entry(source: "view \(view) (views/\(name))", path: path, position: UInt64(max(0, position))))
                }
            } catch {
                result.unreadable.append("views/\(name)")
            }
        }
        let state = (storeDirectory as NSString).appendingPathComponent("state/decisions.sqlite")
        if FileManager.default.fileExists(atPath: state) {
            do {
                // WAL mode: a reader maps (and may create) the shared-memory file. With no WAL content
                // to see, read the file as immutable, which touches nothing beside it.
                let wal = (try? FileManager.default.attributesOfItem(atPath: state + "-wal")[.size] as? Int) ?? 0
                let location = wal == 0 ? "file:" + Self.uriEscaped(state) + "?immutable=1" : state
                let position = try readOnly(location) { db in try Int64.fetchOne(db, sql: "SELECT position FROM checkpoint WHERE id = 1") } ?? 0
                result.entries.append(Entry(source: "the decision state (state/decisions.sqlite)", path: state, position: UInt64(max(0, position))))
            } catch {
                result.unreadable.append("state/decisions.sqlite")
            }
        }
        return result
    }

    private static func uriEscaped(_ path: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#%")
        return path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path
    }

    private static func readOnly<T>(_ path: String, _ body: (Database) throws -> T) throws -> T {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(5)
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? queue.close() }
        return try queue.read(body)
    }

    /// The entries past `head`: each is evidence of acknowledged commits the log no longer holds.
    func ahead(of head: UInt64) -> [Entry] { entries.filter { $0.position > head } }
}
