import Foundation

/// The store's cross-process write lock: `flock(LOCK_EX)` on `<store>/lock`, waited for at most
/// a bounded time. The holder writes its pid into the file so that a busy error can name it.
/// The kernel releases the lock when the holder exits, however it exits.
final class WriteLock {
    private let file: PosixFile

    private init(file: PosixFile) { self.file = file }

    static func acquire(path: String, timeout: Double) throws(EventLogError) -> WriteLock {
        let file = try PosixFile.open(path, flags: O_RDWR | O_CREAT)
        let start = Date()
        var delay: useconds_t = 1_000
        while flock(file.fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            guard code == EWOULDBLOCK || code == EINTR else { throw .io(operation: "lock", path: path, errno: code) }
            let waited = Date().timeIntervalSince(start)
            if waited >= timeout {
                let holder = String(decoding: (try? file.readFully(count: 64, at: 0)) ?? [], as: UTF8.self)
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                throw .busy(lockFile: path, holder: holder.isEmpty ? "unknown process" : "pid \(holder)", waitedSeconds: waited)
            }
            usleep(delay)
            delay = min(delay * 2, 50_000)
        }
        try file.truncate(to: 0)
        try file.write(Array("\(getpid())\n".utf8), at: 0)
        return WriteLock(file: file)
    }

    func release() {
        _ = try? file.truncate(to: 0)
        flock(file.fd, LOCK_UN)
        file.close()
    }
}
