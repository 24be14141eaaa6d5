import Foundation
import GRDB
import PosixFiles

/// The decision state in a SQLite file (by default `<store>/state/decisions.sqlite`):
///
/// ```sql
/// CREATE TABLE state (key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID; -- "user:u-1" -> {"role":"buyer",...}
/// CREATE TABLE checkpoint (id INTEGER PRIMARY KEY CHECK (id = 1), position INTEGER NOT NULL);
/// ```
///
/// Rows and checkpoint are written in one transaction, so after any crash the file is exactly the
/// log up to its checkpoint. The file is derived: deleting it rebuilds it from the log.
public final class SQLiteDecisionStateStore: DecisionStateStore, @unchecked Sendable {
    public static let defaultFileName = "decisions.sqlite"
    /// The rows' format (`PRAGMA user_version`). A file of an older format lacks rows the decisions now
    /// read (format 2 added every team invitation id, format 3 every message and payment id, all as
    /// `claimed:` rows), so it is emptied and rebuilt from the log.
    public static let format = 3
    private let queue: DatabaseQueue
    public let path: String

    /// Opens (creating if needed) the state file at `path`.
    public init(path: String) throws(MarketplaceError) {
        self.path = path
        do {
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])
            }
            var configuration = Configuration()
            // The writer before this one (it held the log's write lock, now ours) may still be closing
            // this file as it exits: wait for its lock instead of failing.
            configuration.busyMode = .timeout(10)
            configuration.prepareDatabase { db in
                try db.execute(sql: "PRAGMA journal_mode = WAL")
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
                // Saves touch rows all over the key space: keep the B-tree's inner pages cached.
                try db.execute(sql: "PRAGMA cache_size = -65536")
            }
            // Owner-only whatever the umask (SQLite gives the WAL and shared-memory files the same mode).
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            if fd >= 0 { close(fd) }
            queue = try DatabaseQueue(path: path, configuration: configuration)
            try queue.write { db in
                try db.execute(sql: """
                    CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
                    CREATE TABLE IF NOT EXISTS checkpoint (id INTEGER PRIMARY KEY CHECK (id = 1), position INTEGER NOT NULL);
                    INSERT OR IGNORE INTO checkpoint (id, position) VALUES (1, 0);
                    """)
                if try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0 != Self.format {
                    try db.execute(sql: "DELETE FROM state; UPDATE checkpoint SET position = 0 WHERE id = 1")
                    try db.execute(sql: "PRAGMA user_version = \(Self.format)")
                }
            }
        } catch {
            throw Self.failure("opening", path, error)
        }
    }

    /// The error for a failure of SQLite or the file system on the state file, its cause kept typed
    /// (a full disk, a read-only file, a damaged file, an I/O error: see `StorageFailure.kind`).
    static func failure(_ operation: String, _ path: String, _ error: any Error) -> MarketplaceError {
        .stateFile(path: path, cause: StorageFailure(error, operation: operation, path: path))
    }

    /// Opens the state file of a store directory: `<storeDirectory>/state/decisions.sqlite`.
    public convenience init(storeDirectory: String) throws(MarketplaceError) {
        try self.init(path: storeDirectory + "/state/" + Self.defaultFileName)
    }

    public func checkpoint() throws(MarketplaceError) -> UInt64 {
        do {
            return try queue.inDatabase { db in
                UInt64(try Int64.fetchOne(db, sql: "SELECT position FROM checkpoint WHERE id = 1") ?? 0)
            }
        } catch {
            throw Self.failure("reading the checkpoint of", path, error)
        }
    }

    public func load(_ key: String) throws(MarketplaceError) -> [UInt8]? {
        do {
            return try queue.inDatabase { db in
                let statement = try db.cachedStatement(sql: "SELECT value FROM state WHERE key = ?")
                guard let data = try Data.fetchOne(statement, arguments: [key]) else { return nil }
                return [UInt8](data)
            }
        } catch {
            throw Self.failure("reading", path, error)
        }
    }

    public func save(_ rows: [(key: String, value: [UInt8]?)], checkpoint: UInt64) throws(MarketplaceError) {
        do {
            try queue.write { db in
                let upsert = try db.cachedStatement(sql: "INSERT OR REPLACE INTO state (key, value) VALUES (?, ?)")
                let delete = try db.cachedStatement(sql: "DELETE FROM state WHERE key = ?")
                // In key order: each B-tree page is visited once per save instead of once per row.
                for row in rows.sorted(by: { $0.key < $1.key }) {
                    if let value = row.value {
                        try upsert.execute(arguments: [row.key, Data(value)])
                    } else {
                        try delete.execute(arguments: [row.key])
                    }
                }
                try db.execute(sql: "UPDATE checkpoint SET position = ? WHERE id = 1", arguments: [Int64(checkpoint)])
            }
        } catch {
            throw Self.failure("writing", path, error)
        }
    }

    public func reset() throws(MarketplaceError) {
        do {
            try queue.write { db in
                try db.execute(sql: "DELETE FROM state; UPDATE checkpoint SET position = 0 WHERE id = 1")
            }
        } catch {
            throw Self.failure("resetting", path, error)
        }
    }
}
