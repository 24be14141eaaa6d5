import Synchronization

/// The keys of a key file, in memory, answering "who presents this key?". Loaded from the file at
/// `init`; `reload()` reads it again (a server calls `reloadIfChanged()` now and then, or on SIGHUP),
/// and a failed reload keeps the keys it had. Safe to share between threads.
public final class KeyRing: Sendable {
    public let file: KeyFile
    private let state: Mutex<State>

    private struct State: Sendable {
        var byId: [String: KeyRecord]
        var identity: FileIdentity?
    }

    /// Reads the key file at `path`: a missing or damaged file is an error (`KeyFileError`), so that a
    /// server does not start with no keys, or with some of a damaged file's.
    public convenience init(path: String) throws(KeyFileError) {
        try self.init(file: KeyFile(path: path))
    }

    public init(file: KeyFile) throws(KeyFileError) {
        self.file = file
        let contents = try file.read()
        state = Mutex(State(byId: Self.index(contents.records), identity: contents.identity))
    }

    /// A ring of the given records, for tests and for callers that keep keys elsewhere.
    init(records: [KeyRecord], path: String = "(memory)") {
        file = KeyFile(path: path)
        state = Mutex(State(byId: Self.index(records), identity: nil))
    }

    /// The principal that `presented` stands for; nil for a malformed key, an unknown key id, a wrong
    /// secret or a revoked key (the caller answers all of them alike: 401). The secret's hash is
    /// compared in constant time, also for an unknown key id.
    public func authenticate(_ presented: String) -> Principal? {
        guard let key = APIKey(parsing: presented) else { return nil }
        let record = state.withLock { $0.byId[key.keyId] }
        let hash = key.secretHash
        let matches = APIKey.constantTimeEqual(hash, record?.secretHash ?? Self.noHash)
        guard let record, matches, !record.isRevoked else { return nil }
        return record.principal
    }

    /// Reads the key file again and replaces the keys; on failure the keys stay as they were.
    public func reload() throws(KeyFileError) {
        let contents = try file.read()
        state.withLock { $0 = State(byId: Self.index(contents.records), identity: contents.identity) }
    }

    /// Reloads when the file changed (another inode, size or modification time) since it was read;
    /// true when it reloaded.
    @discardableResult
    public func reloadIfChanged() throws(KeyFileError) -> Bool {
        let current = FileIdentity.of(file.path)
        guard current == nil || current != state.withLock({ $0.identity }) else { return false }
        try reload()
        return true
    }

    /// The keys it holds (revoked ones included), oldest first.
    public var records: [KeyRecord] {
        state.withLock { Array($0.byId.values) }.sorted { ($0.createdAt, $0.keyId) < ($1.createdAt, $1.keyId) }
    }

    private static let noHash = [UInt8](repeating: 0, count: 32)

    private static func index(_ records: [KeyRecord]) -> [String: KeyRecord] {
        Dictionary(records.map { ($0.keyId, $0) }, uniquingKeysWith: { first, _ in first })
    }
}
