import Crypto
public import Foundation
import GRDB
public import Marketplace

/// What a store remembers of each command id applied through the CLI or the server, so that a retry of
/// the same command gets the first result and the same id with another command is refused
/// (`commandIdReused`). The log itself knows which ids were applied (the marketplace answers a
/// duplicate with its first positions); this registry adds what the log cannot tell: a fingerprint
/// (SHA-256 of the command's canonical JSON as sent, actor included, before any id is generated) of
/// the command each id stood for.
///
/// Kept in memory and in `<store>/server/command-ids.sqlite`, shared by `teamlog serve` and the CLI
/// (written after the commit is durable; not synced, since it is a cache of a fact in the log). An id
/// found in the log but not here (the process died between the two writes) counts as the same command.
public final class CommandIdRegistry: @unchecked Sendable {
    public enum Claim: Equatable, Sendable {
        /// Not seen before (or seen only as rejected): execute it.
        case new
        /// The same command again: execute it (the marketplace answers it as a duplicate).
        case same
        /// Another command under the same id: refuse it.
        case reused
    }

    /// Ids kept in memory at most (older ones are looked up in the file).
    static let maxRemembered = 500_000
    private let lock = NSLock()
    private var fingerprints: [String: Data] = [:]
    private let database: DatabaseQueue?

    /// What opening found and did: a damaged file is moved aside and started afresh (it only caches
    /// what the log already knows: which ids were applied).
    public private(set) var recovery: String?

    /// The registry of the store at `storeDirectory`.
    public convenience init(storeDirectory: String) throws {
        try self.init(path: (storeDirectory as NSString).appendingPathComponent(Self.relativePath))
    }

    /// Where a store keeps its registry, relative to the store directory.
    public static let relativePath = "server/command-ids.sqlite"

    /// A registry kept in `path` (created when missing), or in memory only when `path` is nil.
    public init(path: String?) throws {
        guard let path else {
            database = nil
            return
        }
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        do {
            database = try Self.open(path)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB || error.resultCode == .SQLITE_CORRUPT {
            let aside = path + ".damaged-\(Int(Date().timeIntervalSince1970))"
            for suffix in ["-wal", "-shm"] { unlink(path + suffix) }
            guard rename(path, aside) == 0 else { throw error }
            recovery = "\((path as NSString).lastPathComponent) was damaged (\(error.resultCode)); moved to \((aside as NSString).lastPathComponent) and started afresh: retries of commands applied before keep their first result, but a reused id with another command is no longer told apart"
            database = try Self.open(path)
        }
    }

    private static func open(_ path: String) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = OFF")
        }
        // Owner-only whatever the umask (SQLite gives the WAL and shared-memory files the same mode).
        let fd = Foundation.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd >= 0 { close(fd) }
        let database = try DatabaseQueue(path: path, configuration: configuration)
        try database.write { db in
            try db.execute(sql: "CREATE TABLE IF NOT EXISTS command_ids (command_id TEXT PRIMARY KEY, fingerprint BLOB NOT NULL) WITHOUT ROWID")
        }
        return database
    }

    /// The fingerprint of a command as the client sent it (its canonical JSON line, actor included, before
    /// the marketplace fills in generated ids).
    public static func fingerprint(_ envelope: CommandEnvelope) -> Data {
        var canonical = envelope
        // Who sent it and which user action it belongs to are not the command.
        canonical.correlationId = nil
        canonical.principal = nil
        return Data(SHA256.hash(data: Data(canonical.jsonLine().utf8)))
    }

    /// Claims `commandId` for the command with `fingerprint`.
    public func claim(_ commandId: String, fingerprint: Data) -> Claim {
        lock.lock()
        if let known = fingerprints[commandId] {
            lock.unlock()
            return known == fingerprint ? .same : .reused
        }
        if fingerprints.count >= Self.maxRemembered { fingerprints.removeAll(keepingCapacity: true) }
        fingerprints[commandId] = fingerprint
        lock.unlock()
        let stored = try? database?.read { db in
            try Data.fetchOne(db, sql: "SELECT fingerprint FROM command_ids WHERE command_id = ?", arguments: [commandId])
        }
        guard let stored else { return .new }
        lock.lock(); defer { lock.unlock() }
        fingerprints[commandId] = stored
        return stored == fingerprint ? .same : .reused
    }

    /// Forgets a claim whose command was not applied (rejected or failed): the id is free again.
    public func release(_ commandId: String, fingerprint: Data) {
        lock.lock(); defer { lock.unlock() }
        if fingerprints[commandId] == fingerprint { fingerprints[commandId] = nil }
    }

    /// Records the ids of durable commands.
    public func recordApplied(_ entries: [(commandId: String, fingerprint: Data)]) {
        guard let database, !entries.isEmpty else { return }
        try? database.write { db in
            for entry in entries {
                try db.execute(sql: "INSERT OR IGNORE INTO command_ids (command_id, fingerprint) VALUES (?, ?)",
                               arguments: [entry.commandId, entry.fingerprint])
            }
        }
    }
}
