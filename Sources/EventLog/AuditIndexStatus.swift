/// What the audit index holds (`EventLog.auditIndexStatus`).
public struct AuditIndexStatus: Sendable {
    /// The last position it covers (0: none).
    public var coveredPosition: UInt64
    /// Its run files in use, oldest first.
    public var runs: [String]
    /// Bytes of those files.
    public var bytes: UInt64
    /// Files found damaged, superseded or not matching the log, with why; each names its file.
    public var problems: [String]
}
