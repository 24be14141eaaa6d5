import Foundation

/// Where in the log a problem was found: enough to locate it with `lz4 -dc` and a hex viewer.
public struct LogLocation: Sendable, Hashable, CustomStringConvertible {
    /// The segment file's name, e.g. `00000000000000000001.lz4`.
    public var segment: String
    /// Byte offset in the segment file (compressed bytes) where the bad frame or block starts.
    public var fileOffset: UInt64
    /// The position of the first event that could not be read (the commit that is bad).
    public var position: UInt64

    public init(segment: String, fileOffset: UInt64, position: UInt64) {
        self.segment = segment
        self.fileOffset = fileOffset
        self.position = position
    }

    public var description: String { "segment \(segment), byte offset \(fileOffset), position \(position)" }
}

/// Everything the log can fail with. Messages say what went wrong and what to do; they never
/// include payload bytes (which may hold personal data).
public enum EventLogError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An expected-version check failed; nothing was written.
    case conflict(stream: String, expected: ExpectedVersion, actual: UInt64)
    /// Another process holds the write lock.
    case busy(lockFile: String, holder: String, waitedSeconds: Double)
    /// Stored bytes are damaged: a checksum, frame, chain or sequence check failed.
    case corrupt(LogLocation, reason: String)
    /// A derived file (index, table) is damaged; it can be rebuilt from the segments.
    case derivedFileDamaged(path: String, reason: String)
    /// The store directory is missing, or is not a Teamlog store.
    case notAStore(path: String, reason: String)
    /// The commit itself is invalid (empty, too large, bad names); nothing was written.
    case invalidCommit(String)
    /// The file system refused an operation (full disk, permissions, I/O error).
    case io(operation: String, path: String, errno: Int32)
    /// The log was opened read-only, or closed.
    case notWritable(String)
    /// The head hash given to compare does not match the log's.
    case headHashMismatch(expected: String, actual: String, position: UInt64)
    /// The log ends before commits that the store acknowledged: damage, not a torn write.
    case acknowledgedCommitsMissing(AcknowledgedLoss)
    /// The record of the last acknowledged commit is gone, so the log's end cannot be confirmed;
    /// the writer refuses to append until `recover` has checked and recorded it.
    case acknowledgedHeadUnknown(path: String, reason: String, logPosition: UInt64)
    /// The file the writer appends to changed under it (another process wrote to, replaced or
    /// removed it): the writer stops.
    case foreignWrite(path: String, reason: String)
    /// A chain value recorded by an auditor (`verify --expect POSITION:HASH`) does not hold.
    case expectationFailed(position: UInt64, reason: String)

    public var description: String {
        switch self {
        case let .conflict(stream, expected, actual):
            return "conflict on stream '\(stream)': expected \(expected), but it is at version \(actual). "
                + "Another command changed it first: reload its state and decide again."
        case let .busy(lockFile, holder, waited):
            return "the store is busy: another process (\(holder)) holds the write lock \(lockFile); "
                + "gave up after \(String(format: "%.1f", waited)) s. Retry when it has finished."
        case let .corrupt(location, reason):
            return "the log is damaged at \(location): \(reason). Nothing past this point can be trusted; "
                + "run `teamlog verify` for the full report and restore the segment from a backup."
        case let .derivedFileDamaged(path, reason):
            return "derived file \(path) is damaged (\(reason)); it is rebuilt from the log when the store is opened for writing."
        case let .notAStore(path, reason):
            return "\(path) is not a Teamlog store: \(reason). Create one with `teamlog init` or point --store at an existing store."
        case let .invalidCommit(reason):
            return "invalid commit: \(reason). Nothing was written."
        case let .io(operation, path, code):
            let text = String(cString: strerror(code))
            let hint = code == ENOSPC ? " Free some space: nothing acknowledged was lost, and the store works again once there is room."
                : code == EROFS ? " The file or its file system is read-only: make it writable (remount the file system read-write) and run the command again; nothing was written."
                : code == EACCES || code == EPERM ? " Check the store's ownership and permissions (make the file writable) and run the command again; nothing was written." : ""
            return "\(operation) failed for \(path): \(text) (errno \(code)).\(hint)"
        case let .notWritable(reason):
            return "the log is not writable: \(reason)"
        case let .headHashMismatch(expected, actual, position):
            return "head hash mismatch at position \(position): expected \(expected), the log has \(actual). "
                + "The log is not the one recorded (tampered with, or a different store)."
        case let .acknowledgedCommitsMissing(loss):
            return loss.description + "."
        case let .acknowledgedHeadUnknown(path, reason, position):
            return "the store's record of its last acknowledged commit (\(path)) cannot be used: \(reason). The log ends at "
                + "position \(position), but whether commits after it were acknowledged and lost cannot be known from this store. "
                + "Nothing is appended until this is settled: if the store was copied without that file or made by an earlier "
                + "Teamlog, run `teamlog recover` (it checks the log and every other record of it, then records its end); "
                + "otherwise restore the store from a backup."
        case let .foreignWrite(path, reason):
            return "\(path) changed under the writer: \(reason). Another process wrote to the store (its write lock was "
                + "bypassed, or the file was replaced). This writer stopped appending; stop every other writer, then run "
                + "`teamlog verify`."
        case let .expectationFailed(position, reason):
            return "the recorded chain value at position \(position) does not hold: \(reason)."
        }
    }
}
