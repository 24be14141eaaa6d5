import Events
public import Foundation
import Marketplace
import PosixFiles

/// The key file: JSON Lines, mode 0600 (docs/FORMAT.md, "The key file"). The first line is the header
/// `{"format":"teamlog-keys","version":1}`; each further line is one key:
/// `{"keyId":"…","actor":"u-sam","role":"user","secretSHA256":"<64 hex digits>","createdAt":"2026-01-02T03:04:05Z","revokedAt":null}`.
/// Every change rewrites the whole file atomically (a temporary file, fsync, rename, fsync of the
/// directory) under an exclusive lock on `<file>.lock`, so concurrent `keys add` keep every key and a
/// reader sees the old file or the new one, never a mix.
public struct KeyFile: Sendable {
    public static let header = #"{"format":"teamlog-keys","version":1}"#
    /// A key file is small (about 200 bytes a key): anything larger is not one.
    static let maxBytes = 16 << 20

    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// What was read, with the file's identity (device, inode, size, modification time) to tell a change.
    struct Contents: Sendable {
        var records: [KeyRecord]
        var identity: FileIdentity
    }

    /// The keys in the file, oldest first. A missing file is `.missing`; a file that is not a key file,
    /// or any line of it that is not a valid key, is `.damaged` (naming the line, never its content).
    public func records() throws(KeyFileError) -> [KeyRecord] {
        try read().records
    }

    func read() throws(KeyFileError) -> Contents {
        let file = try PosixFile<KeyFileError>.openForReading(path)
        defer { file.close() }
        let info = try file.status()
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw KeyFileError(.damaged(line: 0, problem: "not a regular file"), path: path) }
        guard info.st_size <= Self.maxBytes else {
            throw KeyFileError(.damaged(line: 0, problem: "larger than \(Self.maxBytes) bytes"), path: path)
        }
        let bytes = try file.readFully(count: Int(info.st_size), at: 0)
        return Contents(records: try Self.parse(bytes, path: path), identity: FileIdentity(info))
    }

    /// Adds a new key for `actor` with `role` and returns it: the only time its secret exists outside
    /// the client. The actor is checked as commands check theirs; `system` goes with the `system` role
    /// and only with it.
    public func add(actor: String, role: Role, now: Date = Date(), lockTimeout: Double = 5) throws(KeyFileError) -> (key: APIKey, record: KeyRecord) {
        try Self.check(actor: actor, role: role, path: path)
        return try locked(timeout: lockTimeout) { () throws(KeyFileError) in
            var records = try existingRecords()
            var key = APIKey.generate()
            while records.contains(where: { $0.keyId == key.keyId }) { key = APIKey.generate() }
            let record = KeyRecord(keyId: key.keyId, actor: actor, role: role, secretHash: key.secretHash,
                                   createdAt: Self.wholeSeconds(now))
            records.append(record)
            try write(records)
            return (key, record)
        }
    }

    /// Revokes the key `keyId` (a key revoked already keeps its first revocation time) and returns it.
    public func revoke(keyId: String, now: Date = Date(), lockTimeout: Double = 5) throws(KeyFileError) -> KeyRecord {
        try locked(timeout: lockTimeout) { () throws(KeyFileError) in
            var records = try read().records
            guard let index = records.firstIndex(where: { $0.keyId == keyId }) else { throw KeyFileError(.unknownKey, path: path) }
            guard records[index].revokedAt == nil else { return records[index] }
            records[index].revokedAt = Self.wholeSeconds(now)
            try write(records)
            return records[index]
        }
    }

    /// The checks `add` makes of its input, for front ends to run before anything else.
    public static func check(actor: String, role: Role, path: String) throws(KeyFileError) {
        do throws(CommandRejection) {
            try CommandEnvelope.checkActor(actor)
        } catch {
            throw KeyFileError(.invalidInput(error.message), path: path)
        }
        if role == .system, actor != CommandEnvelope.systemActor {
            throw KeyFileError(.invalidInput("a system key stands for the actor '\(CommandEnvelope.systemActor)': give --actor \(CommandEnvelope.systemActor) with --role system"), path: path)
        }
        if role != .system, actor == CommandEnvelope.systemActor {
            throw KeyFileError(.invalidInput("only a system key stands for the actor '\(CommandEnvelope.systemActor)': give --role system, or the user id of the key's holder"), path: path)
        }
    }

    private func existingRecords() throws(KeyFileError) -> [KeyRecord] {
        do throws(KeyFileError) {
            return try read().records
        } catch where error.kind == .missing && PosixFile<KeyFileError>.exists((path as NSString).deletingLastPathComponent) {
            return []
        }
    }

    /// Runs `body` holding the exclusive lock on `<path>.lock` (flock; released when the process ends however it ends).
    private func locked<T>(timeout: Double, _ body: () throws(KeyFileError) -> T) throws(KeyFileError) -> T {
        let lock = try PosixFile<KeyFileError>.open(path + ".lock", flags: O_RDWR | O_CREAT, mode: 0o600)
        defer { lock.close() }
        guard try lock.lockExclusively(timeout: timeout) else { throw KeyFileError(.busy, path: path) }
        defer { lock.unlock() }
        return try body()
    }

    /// Replaces the file with `records`: a new temporary file (mode 0600), fsync, rename, fsync of the directory.
    private func write(_ records: [KeyRecord]) throws(KeyFileError) {
        var text = Self.header + "\n"
        for record in records { text += Self.line(record) + "\n" }
        let temporary = path + ".tmp"
        try PosixFile<KeyFileError>.remove(temporary)
        let file = try PosixFile<KeyFileError>.open(temporary, flags: O_WRONLY | O_CREAT | O_EXCL, mode: 0o600)
        guard fchmod(file.fd, 0o600) == 0 else { throw .io(operation: "chmod", path: temporary, errno: errno) }
        try file.write(Array(text.utf8), at: 0)
        guard fsync(file.fd) == 0 else { throw .io(operation: "fsync", path: temporary, errno: errno) }
        file.close()
        try PosixFile<KeyFileError>.rename(temporary, over: path)
    }

    private static func wholeSeconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
    }

    // MARK: The format

    static let fields: Set<String> = ["keyId", "actor", "role", "secretSHA256", "createdAt", "revokedAt"]

    static func line(_ record: KeyRecord) -> String {
        let fields: [(String, String)] = [
            ("keyId", quoted(record.keyId)), ("actor", quoted(record.actor)), ("role", quoted(record.role.rawValue)),
            ("secretSHA256", quoted(Hex.encode(record.secretHash))), ("createdAt", quoted(KeyRecord.timestamp(record.createdAt))),
            ("revokedAt", record.revokedAt.map { quoted(KeyRecord.timestamp($0)) } ?? "null"),
        ]
        return "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }

    private static func quoted(_ text: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        guard let data = try? encoder.encode(text) else { return "\"\"" }
        return String(decoding: data, as: UTF8.self)
    }

    static func parse(_ bytes: [UInt8], path: String) throws(KeyFileError) -> [KeyRecord] {
        if bytes.isEmpty { return [] }
        func damaged(_ line: Int, _ problem: String) -> KeyFileError { KeyFileError(.damaged(line: line, problem: problem), path: path) }
        guard bytes.last == 10 else { throw damaged(bytes.split(separator: 10, omittingEmptySubsequences: false).count, "the last line is cut (no newline at its end)") }
        let lines = bytes.dropLast().split(separator: 10, omittingEmptySubsequences: false)
        guard lines.first.map({ Array($0) }) == Array(header.utf8) else {
            throw damaged(1, "the first line is not the header \(header)")
        }
        var records: [KeyRecord] = []
        var ids: Set<String> = []
        for (index, line) in lines.enumerated().dropFirst() {
            let record = try parse(line: Array(line), number: index + 1, path: path)
            guard ids.insert(record.keyId).inserted else { throw damaged(index + 1, "a second key with the same key id") }
            records.append(record)
        }
        return records
    }

    private static func parse(line: [UInt8], number: Int, path: String) throws(KeyFileError) -> KeyRecord {
        func damaged(_ problem: String) -> KeyFileError { KeyFileError(.damaged(line: number, problem: problem), path: path) }
        do throws(StrictJSON.Problem) {
            try StrictJSON.check(line, integersOnly: true)
        } catch {
            throw damaged("not valid JSON")
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else {
            throw damaged("not a JSON object")
        }
        if let unknown = object.keys.sorted().first(where: { !fields.contains($0) }) {
            throw damaged(unknown.utf8.count <= 32 && unknown.allSatisfy({ $0.isASCII && $0.isLetter }) ? "an unknown field '\(unknown)'" : "an unknown field")
        }
        func string(_ field: String) throws(KeyFileError) -> String {
            guard let value = object[field] as? String else { throw damaged("the field '\(field)' is missing or not a string") }
            return value
        }
        let keyId = try string("keyId")
        guard keyId.utf8.count == APIKey.keyIdLength, keyId.utf8.allSatisfy(Hex.isLowerDigit) else {
            throw damaged("the field 'keyId' is not \(APIKey.keyIdLength) lowercase hex digits")
        }
        let actor = try string("actor")
        guard let role = Role(rawValue: try string("role")) else { throw damaged("the field 'role' is not one of \(Role.names)") }
        do throws(KeyFileError) {
            try check(actor: actor, role: role, path: path)
        } catch {
            throw damaged("the field 'actor' is not a valid actor for its role")
        }
        guard let hash = Hex.decode(try string("secretSHA256")), hash.count == 32 else {
            throw damaged("the field 'secretSHA256' is not 64 lowercase hex digits")
        }
        guard let createdAt = KeyRecord.date(try string("createdAt")) else {
            throw damaged("the field 'createdAt' is not an ISO 8601 time such as 2026-01-02T03:04:05Z")
        }
        var revokedAt: Date?
        switch object["revokedAt"] {
        case is NSNull: revokedAt = nil
        case let text as String:
            guard let date = KeyRecord.date(text) else { throw damaged("the field 'revokedAt' is not null or an ISO 8601 time") }
            revokedAt = date
        default: throw damaged("the field 'revokedAt' is missing, or not null or an ISO 8601 time")
        }
        return KeyRecord(keyId: keyId, actor: actor, role: role, secretHash: hash, createdAt: createdAt, revokedAt: revokedAt)
    }
}

/// A file's identity and version as `stat` sees it: a rename over it or a write changes it.
struct FileIdentity: Sendable, Hashable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var modifiedSeconds: Int
    var modifiedNanoseconds: Int

    init(_ info: stat) {
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        modifiedSeconds = Int(info.st_mtim.tv_sec)
        modifiedNanoseconds = Int(info.st_mtim.tv_nsec)
    }

    static func of(_ path: String) -> FileIdentity? {
        var info = stat()
        return stat(path, &info) == 0 ? FileIdentity(info) : nil
    }
}
