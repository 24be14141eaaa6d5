/// How a store is opened.
public struct EventLogOptions: Sendable, Hashable {
    public enum Access: Sendable, Hashable {
        /// Reads only; takes no lock; any number of readers may run beside one writer.
        case readOnly
        /// Takes the store's write lock (waiting at most `lockTimeout` seconds) and may append.
        case readWrite
    }

    /// When an append is acknowledged.
    public enum Durability: Sendable, Hashable {
        /// After the commit is on disk (`fdatasync`): survives a crash of the machine. The default.
        case fsync
        /// After the commit is in the operating system's cache (`write`): survives `kill -9` of the
        /// process, not a power loss. Several times faster for single small commits.
        case osBuffered
    }

    public var access: Access
    public var durability: Durability
    /// Creates the store when the directory has none (read-write only).
    public var createIfMissing: Bool
    /// How long to wait for another process's write lock before failing with `.busy`.
    public var lockTimeout: Double
    /// A segment is sealed and a new one started once it holds this many decompressed bytes.
    public var segmentTargetBytes: Int
    /// A new LZ4 frame (the unit of random access) starts once the current one holds this many bytes.
    public var frameTargetBytes: Int

    public init(access: Access = .readWrite, durability: Durability = .fsync, createIfMissing: Bool = true,
                lockTimeout: Double = 5, segmentTargetBytes: Int = 64 << 20, frameTargetBytes: Int = 1 << 20) {
        self.access = access
        self.durability = durability
        self.createIfMissing = createIfMissing
        self.lockTimeout = lockTimeout
        self.segmentTargetBytes = segmentTargetBytes
        self.frameTargetBytes = frameTargetBytes
    }

    public static let readOnly = EventLogOptions(access: .readOnly, createIfMissing: false)
}

/// What opening for writing found and cut at the tail: a write torn by a crash.
public struct RecoveryReport: Sendable, Hashable, CustomStringConvertible {
    public var segment: String
    /// Where the cut was made (compressed bytes).
    public var cutAtOffset: UInt64
    public var bytesCut: UInt64
    /// Commits (whole or partial) that were started in the cut bytes; none of them had been acknowledged.
    public var commitsCut: Int
    /// The log's last position after the cut.
    public var headPosition: UInt64

    public var description: String {
        "cut a torn tail of \(bytesCut) bytes (\(commitsCut) unacknowledged commit(s)) from \(segment) at byte \(cutAtOffset); the log ends at position \(headPosition)"
    }
}

/// The result of `verify`: everything re-checked from the first byte.
public struct VerificationReport: Sendable, Hashable {
    public var segments: Int
    public var frames: Int
    public var commits: UInt64
    public var events: UInt64
    public var compressedBytes: UInt64
    public var head: LogHead
    /// A torn tail that opening for writing will cut (not damage: it was never acknowledged).
    public var tornTail: RecoveryReport?
    /// Problems that lose nothing: stray files, derived files out of date (rebuilt on the next
    /// opening for writing).
    public var warnings: [String]
}

/// Sizes and counts, from a full read of the log.
public struct LogStatistics: Sendable, Hashable {
    public var segments: Int
    public var commits: UInt64
    public var events: UInt64
    public var compressedBytes: UInt64
    public var decompressedBytes: UInt64
    public var payloadBytes: UInt64
    public var eventsPerType: [String: UInt64]
    public var streams: UInt64
    public var firstRecordedAtMicros: Int64?
    public var lastRecordedAtMicros: Int64?

    public var compressionRatio: Double { compressedBytes == 0 ? 0 : Double(decompressedBytes) / Double(compressedBytes) }
}

/// Progress of long work (verify, statistics), for a progress bar.
public struct LogProgress: Sendable, Hashable {
    public var position: UInt64
    public var headPosition: UInt64
    public var compressedBytesRead: UInt64
}
