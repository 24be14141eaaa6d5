public import EventLog
import Foundation
import GRDB
public import PosixFiles

/// Everything the read models can fail with. Messages say what went wrong and what to do next; they
/// never include SQL arguments or payloads (which may hold personal data).
public enum ProjectionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Reading the log failed.
    case log(EventLogError)
    /// SQLite or the file system failed on a view's file (`cause`: SQLite's codes or the errno).
    case database(view: String, path: String, cause: StorageFailure)
    /// A projector could not apply an event (undecodable payload, broken invariant).
    case apply(view: String, position: UInt64, type: String, reason: String)
    /// No projection has this name.
    case unknownView(String, known: [String])
    /// Two projections share a name or a table name.
    case duplicateName(String)
    /// The replay's output file exists and overwriting was not asked for, or it is a live view.
    case replayOutputRefused(path: String, reason: String)
    /// Another process is rebuilding this view (it holds the view's rebuild lock file) and did not finish in time.
    case rebuildBusy(view: String, lockFile: String)
    /// Another process kept a view's file locked (SQLite's lock: reading it, or writing it) for longer
    /// than the busy timeout; `view` nil for several views at once. Nothing is wrong with the view.
    case viewBusy(view: String?, path: String, seconds: Double)
    /// A read-only statement ran longer than its time limit and was stopped.
    case queryTimeLimit(seconds: Double)
    /// The file system refused an operation.
    case io(operation: String, path: String, errno: Int32)
    /// A read-only query tried to change something, or is not valid SQL.
    case invalidQuery(String)
    /// The file at `path` (a view, its journal, a rebuild's, a verification's or a replay's file) could
    /// not be written for a reason of its file system: no room left (SQLite's `SQLITE_FULL`, or an I/O
    /// error with `ENOSPC`/`EDQUOT`), a read-only file or mount (`SQLITE_READONLY`, `EROFS`), or an I/O
    /// error. The write was not made, and nothing already written is lost. Not damage.
    case storage(path: String, cause: StorageFailure)
    /// A view's checkpoint is above the log's head: the view shows events the log no longer holds
    /// (the log was truncated or replaced, or the checkpoint row was edited). It is not served.
    case viewAheadOfLog(view: String, checkpoint: UInt64, head: UInt64)
    /// A replay was asked for a position the log has not reached.
    case replayBeyondHead(position: UInt64, head: UInt64)
    /// The view's file was built from another store's log (copied or restored from elsewhere).
    case viewOfAnotherStore(view: String, path: String, viewStore: String, logStore: String)

    public var description: String {
        switch self {
        case let .log(error):
            return "reading the log failed: \(error)"
        case let .database(view, path, cause):
            return cause.message("view '\(view)'", path: path,
                                 otherwise: "The view can be rebuilt from the log with `teamlog rebuild \(view)`.")
        case let .apply(view, position, type, reason):
            return "view '\(view)' could not apply event \(position) (\(type)): \(reason). "
                + "The view stays at its last checkpoint; fix the projector or the event's upcaster and catch up again."
        case let .unknownView(name, known):
            return "there is no view named '\(name)'; the views are: \(known.joined(separator: ", "))."
        case let .duplicateName(name):
            return "two projections use the name '\(name)' (view or table names must be unique)."
        case let .replayOutputRefused(path, reason):
            return "will not write the replay to \(path): \(reason)."
        case let .rebuildBusy(view, lockFile):
            return "view '\(view)' is being rebuilt by another process (it holds \(lockFile)); retry when it has finished."
        case let .viewBusy(view, path, seconds):
            let what = view.map { "view '\($0)' (\(path)) is" } ?? "the views (\(path)) are"
            return "\(what) held by another process reading or writing it (such as a long `teamlog sql`, or a query or "
                + "command bringing the view up to date), which kept it locked for more than \(Self.seconds(seconds)) s; "
                + "retry when that process has finished (nothing is wrong with the view)."
        case let .queryTimeLimit(seconds):
            return "the statement reached its time limit of \(Self.seconds(seconds)) s and was stopped."
        case let .io(operation, path, code):
            let cause = StorageFailure(errno: code, operation: operation)
            return cause.kind == .io ? "\(operation) failed for \(path): \(cause)." : cause.message("the file", path: path, otherwise: "")
        case let .invalidQuery(reason):
            return "invalid query: \(reason)"
        case let .storage(path, cause):
            return cause.message("the file", path: path, otherwise: "")
        case let .viewOfAnotherStore(view, path, viewStore, logStore):
            return "view '\(view)' (\(path)) was built from another store's log (store \(viewStore); this store is "
                + "\(logStore)), so it is not served: it was copied or restored from elsewhere. Run `teamlog rebuild \(view)` "
                + "to rebuild it from this store's log."
        case let .replayBeyondHead(position, head):
            return "position \(position) is beyond the log's head (position \(head)): give a position from 0 to \(head), or a time"
        case let .viewAheadOfLog(view, checkpoint, head):
            return "view '\(view)' is at checkpoint \(checkpoint), above the log's head \(head): it shows \(checkpoint - head) "
                + "event(s) the log no longer holds, so it is not served. Run `teamlog verify` to check the log, "
                + "then `teamlog rebuild \(view)` to rebuild the view from the log."
        }
    }
}

extension ProjectionError {
    /// Seconds for messages: `5`, `0.5`.
    public static func seconds(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    /// Whether SQLite gave up waiting for another connection's lock (the busy timeout passed).
    static func isBusy(_ error: any Error) -> Bool {
        guard let error = error as? DatabaseError else { return false }
        return error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED
    }

    /// The error to throw for a failure on the file at `path`: `.storage` when its file system is to
    /// blame (a full disk, a read-only file, an I/O error; whatever the error's type), else nil.
    static func storage(_ error: any Error, path: String) -> ProjectionError? {
        if case .storage? = error as? ProjectionError { return error as? ProjectionError }
        let cause = StorageFailure(error, operation: "writing", path: path)
        guard cause.isDiskFull || cause.isReadOnly else { return nil }
        return .storage(path: path, cause: cause)
    }

    /// The failure of SQLite or the file system behind this error, and the file it concerns.
    public var storageFailure: (path: String, cause: StorageFailure)? {
        switch self {
        case let .database(_, path, cause), let .storage(path, cause): return (path, cause)
        case let .io(operation, path, code): return (path, StorageFailure(errno: code, operation: operation))
        default: return nil
        }
    }

    /// Describes a GRDB error by its code and message only (never its arguments).
    static func describe(_ error: any Error) -> String {
        if let error = error as? DatabaseError {
            return "SQLite error \(error.extendedResultCode.rawValue): \(error.message ?? "no message")"
        }
        if let error = error as? ProjectionError { return error.description }
        return String(describing: error)
    }
}
