/// How the runner works.
public struct ProjectionRunnerOptions: Sendable {
    /// What to do with a view whose file does not exist yet.
    public enum MissingViews: Sendable, Hashable {
        /// Build it from the whole log as a rebuild does (fast bulk writes into a new file).
        case rebuild
        /// Create it empty and catch it up incrementally (transaction by transaction).
        case createEmpty
    }

    /// Events per transaction, about: from an `EventLog`, a transaction takes a chunk of whole commits
    /// of about `batchSize` × 256 bytes (less at a segment's end); from another store, exactly `batchSize` events.
    public var batchSize: Int
    /// Applies a batch to several views at once, and reads the next batch meanwhile.
    public var parallel: Bool
    /// How long to wait for another process's lock on a view file or a rebuild.
    public var busyTimeout: Double
    public var missingViews: MissingViews
    /// Called after each batch (for a progress bar); nil for none.
    public var progress: (@Sendable (ProjectionProgress) -> Void)?
    /// Called in each catch-up transaction of each view (see `ViewCommitHook`); nil for none.
    public var commitHook: (any ViewCommitHook)?

    public init(batchSize: Int = 20_000, parallel: Bool = true, busyTimeout: Double = 10,
                missingViews: MissingViews = .rebuild, progress: (@Sendable (ProjectionProgress) -> Void)? = nil,
                commitHook: (any ViewCommitHook)? = nil) {
        self.batchSize = batchSize
        self.parallel = parallel
        self.busyTimeout = busyTimeout
        self.missingViews = missingViews
        self.progress = progress
        self.commitHook = commitHook
    }
}
