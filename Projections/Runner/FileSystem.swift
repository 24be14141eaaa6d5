import Foundation
public import PosixFiles

/// The file operations the runner needs (the stores' shared helpers), failing with `ProjectionError.io`.
typealias FileSystem = PosixFile<ProjectionError>

extension ProjectionError: FileFailure {}

extension PosixFile where Failure == ProjectionError {
    /// Removes a SQLite file and the journal files that may sit beside it.
    static func removeDatabase(_ path: String) throws(ProjectionError) {
        for suffix in ["", "-journal", "-wal", "-shm"] {
            try remove(path + suffix)
        }
    }
}

/// An exclusive advisory lock on a file (flock), released when the value is closed or the process dies.
final class FileLock {
    private let file: FileSystem

    /// Waits at most `timeout` seconds for the lock; returns nil if another process kept it.
    init?(path: String, timeout: Double) throws(ProjectionError) {
        file = try FileSystem.open(path, flags: O_RDWR | O_CREAT)
        guard try file.lockExclusively(timeout: timeout) else { return nil }
    }

    func unlock() {
        file.close()
    }
}
