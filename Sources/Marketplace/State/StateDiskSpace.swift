import Foundation
import GRDB
import PosixFiles

/// Tells a full disk from other failures of the decision state's SQLite file, so that it is reported
/// as such (free space and retry) rather than as a damaged state.
///
/// SQLite reports a write refused for lack of room as `SQLITE_FULL` (the database, its WAL or its
/// journal). Some it reports as an I/O error without the system's errno (growing the WAL's
/// shared-memory file, an fsync of delayed allocations, creating a file): those count as a full disk
/// when the file system that holds the file is nearly full (`DiskSpace.isNearlyFull`). Foundation's file
/// errors carry the errno: `ENOSPC` and `EDQUOT` are a full disk.
enum StateDiskSpace {
    static func isFull(_ error: any Error, path: String) -> Bool {
        if let error = error as? DatabaseError {
            switch error.resultCode {
            case .SQLITE_FULL: return true
            case .SQLITE_IOERR, .SQLITE_CANTOPEN: return DiskSpace.isNearlyFull(path)
            default: return false
            }
        }
        var cause: NSError? = error as NSError
        while let current = cause {
            if current.domain == NSPOSIXErrorDomain, DiskSpace.isFull(errno: Int32(truncatingIfNeeded: current.code)) { return true }
            if current.domain == NSCocoaErrorDomain, current.code == CocoaError.fileWriteOutOfSpace.rawValue { return true }
            cause = current.userInfo[NSUnderlyingErrorKey] as? NSError
        }
        return false
    }
}
