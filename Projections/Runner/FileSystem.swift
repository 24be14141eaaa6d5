import CTeamlogSupport
import Foundation

/// The few POSIX file operations the runner needs, with errors that name the file.
enum FileSystem {
    /// The file's size in bytes (0 when it cannot be read).
    static func size(_ path: String) -> UInt64 {
        var info = stat()
        return stat(path, &info) == 0 ? UInt64(info.st_size) : 0
    }

    /// Creates an empty file readable by its owner only, unless one exists: SQLite then uses it as is,
    /// and gives its journal the same mode (whatever the process's umask).
    static func createPrivateFileIfMissing(_ path: String) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd >= 0 { close(fd) }
    }

    static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    static func makeDirectory(_ path: String) throws(ProjectionError) {
        if mkdir(path, 0o700) != 0 && errno != EEXIST {
            throw .io(operation: "mkdir", path: path, errno: errno)
        }
    }

    static func remove(_ path: String) throws(ProjectionError) {
        if unlink(path) != 0 && errno != ENOENT {
            throw .io(operation: "unlink", path: path, errno: errno)
        }
    }

    /// Removes a SQLite file and the journal files that may sit beside it.
    static func removeDatabase(_ path: String) throws(ProjectionError) {
        for suffix in ["", "-journal", "-wal", "-shm"] {
            try remove(path + suffix)
        }
    }

    /// Atomically replaces `destination` with `source`, then makes the rename durable.
    static func rename(_ source: String, over destination: String) throws(ProjectionError) {
        if Foundation.rename(source, destination) != 0 {
            throw .io(operation: "rename to \(destination)", path: source, errno: errno)
        }
        try fsync(path: (destination as NSString).deletingLastPathComponent)
    }

    /// Starts writing a file's dirty pages to disk without waiting (best effort: durability comes
    /// only from `fsync`). A bulk-written file that is flushed as it grows leaves its final fsync
    /// little to wait for.
    static func startWriteback(path: String) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = teamlog_start_writeback(fd)
        Foundation.close(fd)
    }

    /// Flushes a file (or a directory's entries) to disk.
    static func fsync(path: String) throws(ProjectionError) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw .io(operation: "open", path: path, errno: errno) }
        defer { Foundation.close(fd) }
        if Foundation.fsync(fd) != 0 {
            throw .io(operation: "fsync", path: path, errno: errno)
        }
    }
}

/// An exclusive advisory lock on a file (flock), released when the value is closed or the process dies.
final class FileLock {
    private var fd: Int32
    let path: String

    /// Waits at most `timeout` seconds for the lock; returns nil if another process kept it.
    init?(path: String, timeout: Double) throws(ProjectionError) {
        self.path = path
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .io(operation: "open lock file", path: path, errno: errno) }
        let deadline = Date().addingTimeInterval(timeout)
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                let code = errno
                Foundation.close(fd)
                throw .io(operation: "flock", path: path, errno: code)
            }
            if Date() >= deadline {
                Foundation.close(fd)
                return nil
            }
            usleep(20_000)
        }
    }

    func unlock() {
        guard fd >= 0 else { return }
        Foundation.close(fd)
        fd = -1
    }

    deinit { unlock() }
}
