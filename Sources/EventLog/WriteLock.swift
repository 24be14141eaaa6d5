import Foundation
import PosixFiles

/// The store's cross-process write lock: `flock(LOCK_EX)` on the store directory itself, waited for
/// at most a bounded time. A directory cannot be deleted or replaced from under its open
/// descriptor the way a lock file can (`rm store/lock` once let a second writer in): whoever opens
/// the store's path locks the same inode, or, if the directory was moved away, a different store.
/// The holder writes its pid into `<store>/lock` so that a busy error can name it; that file is
/// only a note. The kernel releases the lock when the holder exits, however it exits.
final class WriteLock {
    private let directory: PosixFile
    private let pidFile: String

    private init(directory: PosixFile, pidFile: String) {
        self.directory = directory
        self.pidFile = pidFile
    }

    static func acquire(directory path: String, pidFile: String, timeout: Double) throws(EventLogError) -> WriteLock {
        let directory = try PosixFile.open(path, flags: O_RDONLY | O_DIRECTORY)
        let start = Date()
        guard try directory.lockExclusively(timeout: timeout) else {
            let holder = String(decoding: (try? PosixFile.openForReading(pidFile).readFully(count: 64, at: 0)) ?? [], as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            throw .busy(lockFile: path, holder: holder.isEmpty ? "unknown process" : "pid \(holder)",
                        waitedSeconds: Date().timeIntervalSince(start))
        }
        // The pid note is best effort: a full disk or a read-only file must not stop the writer.
        if let note = try? PosixFile.open(pidFile, flags: O_WRONLY | O_CREAT | O_TRUNC) {
            try? note.write(Array("\(getpid())\n".utf8), at: 0)
            note.close()
        }
        return WriteLock(directory: directory, pidFile: pidFile)
    }

    private var released = false

    func release() {
        guard !released else { return }
        released = true
        if let note = try? PosixFile.open(pidFile, flags: O_WRONLY) {
            try? note.truncate(to: 0)
            note.close()
        }
        directory.unlock()
        directory.close()
    }
}
