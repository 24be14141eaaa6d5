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
    /// opening for writing), a record of the last acknowledged commit that cannot be used.
    public var warnings: [String]
    /// The last acknowledged commit as the store recorded it (checked against the log).
    public var acknowledged: AcknowledgedHead?
    /// How many recorded chain values (`ChainExpectation`s) were checked and hold.
    public var expectationsChecked = 0
}

/// A chain value an auditor recorded: the last position of a commit and the chain value after it
/// (`teamlog verify` prints the head as `POSITION:HASH`).
public struct ChainExpectation: Sendable, Hashable {
    public var position: UInt64
    public var hash: [UInt8]

    public init(position: UInt64, hash: [UInt8]) {
        self.position = position
        self.hash = hash
    }

    /// Parses `POSITION:HASH` (64 hexadecimal digits), or nil.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let position = UInt64(parts[0]), parts[1].utf8.count == 64 else { return nil }
        var bytes: [UInt8] = []
        var index = parts[1].startIndex
        while index < parts[1].endIndex {
            let next = parts[1].index(index, offsetBy: 2)
            guard let byte = UInt8(parts[1][index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        self.init(position: position, hash: bytes)
    }
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
