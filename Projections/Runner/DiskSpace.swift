import Foundation
import GRDB

/// Tells a full disk from other failures of SQLite and the file system, so that it is reported as
/// such (free space and retry) rather than as a damaged view.
///
/// SQLite reports a write refused for lack of room as `SQLITE_FULL` (the database file or its
/// journal). Some writes it reports as an I/O error without the system's errno (growing a WAL's
/// shared-memory file, an fsync of delayed allocations, creating a journal): those count as a full
/// disk when the file system that holds the file has less than `nearlyFullBytes` left to write.
enum DiskSpace {
    /// Below this much room for unprivileged writes, an I/O error is taken as a full disk.
    static let nearlyFullBytes: UInt64 = 1 << 20

    static let advice = "Free some space on the file system that holds it and run the command again: "
        + "nothing acknowledged is lost (the log is the source of truth, and a view or a state file stays at its last checkpoint)."

    static func isFull(errno code: Int32) -> Bool { code == ENOSPC || code == EDQUOT }

    /// Whether `error`, raised while working on the file at `path`, means that the disk is full.
    static func isFull(_ error: any Error, path: String) -> Bool {
        switch error {
        case let error as DatabaseError:
            switch error.resultCode {
            case .SQLITE_FULL: return true
            case .SQLITE_IOERR, .SQLITE_CANTOPEN: return isNearlyFull(path)
            default: return false
            }
        case let error as ProjectionError:
            switch error {
            case .diskFull: return true
            case .io(_, _, let code): return isFull(errno: code)
            default: return false
            }
        default:
            return false
        }
    }

    /// Whether the file system holding `path` (or, when it does not exist, its directory) is almost full.
    static func isNearlyFull(_ path: String) -> Bool {
        guard let available = availableBytes(path) else { return false }
        return available < nearlyFullBytes
    }

    /// Bytes an unprivileged process may still write on the file system holding `path`.
    static func availableBytes(_ path: String) -> UInt64? {
        var info = statvfs()
        var candidate = path
        while statvfs(candidate, &info) != 0 {
            let parent = (candidate as NSString).deletingLastPathComponent
            guard !parent.isEmpty, parent != candidate else { return nil }
            candidate = parent
        }
        return UInt64(info.f_bavail) * UInt64(info.f_frsize)
    }
}
