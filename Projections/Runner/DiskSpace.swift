import Foundation
import GRDB
import PosixFiles

/// Tells a full disk from other failures of SQLite and the file system, so that it is reported as
/// such (free space and retry) rather than as a damaged view.
///
/// SQLite reports a write refused for lack of room as `SQLITE_FULL` (the database file or its
/// journal); some it reports as an I/O error without the system's errno, which count as a full disk
/// when the file system that holds the file is nearly full (`DiskSpace.isNearlyFull`).
extension DiskSpace {
    static let advice = "Free some space on the file system that holds it and run the command again: "
        + "nothing acknowledged is lost (the log is the source of truth, and a view or a state file stays at its last checkpoint)."

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
}
