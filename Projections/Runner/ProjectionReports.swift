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
    /// How far the checkpoint is above the log's head: events the view shows that the log no longer
    /// holds (0 when it is not ahead, or no log was given). Such a view is not served.
    public var aheadOfLog: UInt64 = 0
}

/// What `verifyViews` found for one view: its rows and checkpoint row against the log's own
/// re-projection up to the same checkpoint.
public struct ViewVerification: Sendable, Hashable {
    public enum Verdict: Sendable, Hashable {
        /// The rows and the checkpoint row are exactly what the log gives at the view's checkpoint.
        case matches
        /// They are not (`differences` says how): the file was changed outside Teamlog, or damaged.
        case differs
        /// The checkpoint is above the log's head: the view shows events the log no longer holds.
        case aheadOfLog
        /// Not compared (no file yet, or built by another schema version): the reason, and what to do.
        case notChecked(String)
    }

    /// How a view differs from the log.
    public enum Difference: String, Sendable, Hashable, CaseIterable {
        /// The rows' fingerprint is not the re-projection's.
        case rows
        /// The file has no checkpoint row for the view.
        case checkpointMissing = "checkpoint-missing"
        /// The log's events up to the checkpoint end elsewhere (the checkpoint is not a commit's end).
        case checkpointPosition = "checkpoint-position"
        /// The checkpoint's recorded-at time is not that of the event at its position.
        case checkpointTime = "checkpoint-time"
        /// The checkpoint is inside a commit (views apply whole commits, so they only stop at a commit's end).
        case checkpointInsideCommit = "checkpoint-inside-commit"
        /// The fingerprint stored with the checkpoint does not describe the rows.
        case storedFingerprint = "stored-fingerprint"
    }

    public var view: String
    public var verdict: Verdict
    public var differences: [Difference]
    /// The view's checkpoint (the position both sides were compared at).
    public var checkpoint: UInt64
    /// The fingerprint of the view's rows as they are (nil when not computed).
    public var viewFingerprint: String?
    /// The fingerprint of the log's re-projection up to `checkpoint` (nil when not computed).
    public var logFingerprint: String?
    /// The fingerprint stored in the view's checkpoint row for `checkpoint`, if any.
    public var storedFingerprint: String?

    /// True when the view cannot be trusted: it differs from the log or is ahead of it.
    public var isDamaged: Bool { verdict == .differs || verdict == .aheadOfLog }
}

/// What `verifyViews` found.
public struct ViewsVerificationReport: Sendable, Hashable {
    /// The log's head position when the check started.
    public var logHead: UInt64
    public var views: [ViewVerification]
    /// Events read from the log (once per distinct checkpoint).
    public var eventsRead: UInt64
    public var seconds: Double

    /// The views that differ from the log or are ahead of it.
    public var damaged: [ViewVerification] { views.filter(\.isDamaged) }
}
