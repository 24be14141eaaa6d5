/// What a catch-up did.
public struct CatchUpReport: Sendable, Hashable {
    /// Views rebuilt first because their file was missing or built by another schema version.
    public var rebuilt: [RebuildReport.ViewRebuild]
    /// Events read from the log by the incremental catch-up.
    public var eventsRead: UInt64
    /// Each view's checkpoint afterwards.
    public var checkpoints: [String: UInt64]
}

/// What a rebuild did.
public struct RebuildReport: Sendable, Hashable {
    public enum Reason: String, Sendable, Hashable {
        /// Asked for (`rebuild`).
        case requested
        /// The live file was built by another schema version.
        case schemaVersionChanged = "schema-version-changed"
        /// There was no live file.
        case missing
    }

    public struct ViewRebuild: Sendable, Hashable {
        public var view: String
        public var reason: Reason
        public var fromSchemaVersion: Int?
        public var toSchemaVersion: Int
        public var position: UInt64
        public var fingerprint: String
    }

    public var views: [ViewRebuild]
    /// Events read from the log (once for all the views rebuilt together).
    public var eventsRead: UInt64
    public var seconds: Double

    public var eventsPerSecond: Double { seconds > 0 ? Double(eventsRead) / seconds : 0 }
}

/// Where an as-of replay stops.
public enum ReplayPoint: Sendable, Hashable, CustomStringConvertible {
    /// Up to and including this log position.
    case position(UInt64)
    /// Every event recorded at or before this instant (microseconds since the epoch).
    case time(micros: Int64)

    public var description: String {
        switch self {
        case .position(let position): return "position \(position)"
        case .time(let micros): return "time \(micros) µs"
        }
    }
}

/// What an as-of replay wrote.
public struct ReplayReport: Sendable, Hashable {
    public var output: String
    public var asOf: ReplayPoint
    /// The last position applied (the moment the views show).
    public var position: UInt64
    public var recordedAtMicros: Int64
    /// Each view's fingerprint in the output.
    public var fingerprints: [String: String]
    public var eventsRead: UInt64
}

/// One view, as `status` shows it.
public struct ViewStatus: Sendable, Hashable {
    public var name: String
    public var path: String
    /// The schema version of the running code.
    public var schemaVersion: Int
    /// The schema version the file was built with (nil when there is no file yet).
    public var storedSchemaVersion: Int?
    public var checkpoint: UInt64
    public var checkpointRecordedAtMicros: Int64
    /// Events in the log after the checkpoint (nil when no log was given).
    public var lag: UInt64?
    /// SHA-256 over the rows at the checkpoint (nil when not computed or no file).
    public var fingerprint: String?
    public var rowCounts: [String: Int]
    /// True when the next catch-up rebuilds it (missing file or another schema version).
    public var needsRebuild: Bool
}
