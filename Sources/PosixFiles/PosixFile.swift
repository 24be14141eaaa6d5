import CFileSupport
public import Foundation

/// An error type that can say which file operation failed, on which file, and the system's errno:
/// each module's error type (`EventLogError`, `ProjectionError`) has such a case.
public protocol FileFailure: Error {
    static func io(operation: String, path: String, errno: Int32) -> Self
}

/// A file descriptor with the few POSIX calls the stores need, and the operations on paths beside
/// it. Each failure is thrown as `Failure.io(operation:path:errno:)`, so that the caller's error
/// keeps the file's path and the errno.
public final class PosixFile<Failure: FileFailure> {
    public let path: String
    public private(set) var fd: Int32

    private init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
    }

    deinit { close() }

    public static func open(_ path: String, flags: Int32, mode: mode_t = 0o600) throws(Failure) -> PosixFile {
        let fd = Glibc.open(path, flags | O_CLOEXEC, mode)
        guard fd >= 0 else { throw .io(operation: "open", path: path, errno: errno) }
        return PosixFile(path: path, fd: fd)
    }

    public static func openForReading(_ path: String) throws(Failure) -> PosixFile {
        try open(path, flags: O_RDONLY)
    }

    public func close() {
        if fd >= 0 { _ = Glibc.close(fd); fd = -1 }
    }

    public func size() throws(Failure) -> UInt64 {
        UInt64(try status().st_size)
    }

    /// The file's identity and size as the kernel sees it through this descriptor.
    public func status() throws(Failure) -> stat {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .io(operation: "stat", path: path, errno: errno) }
        return info
    }

    /// Reads up to `count` bytes at `offset` into `buffer`; returns the bytes read (0 at end of file).
    public func read(into buffer: UnsafeMutableRawPointer, count: Int, at offset: UInt64) throws(Failure) -> Int {
        let n = readRaw(into: buffer, count: count, at: offset)
        guard n >= 0 else { throw .io(operation: "read", path: path, errno: Int32(-n)) }
        return n
    }

    /// pread that retries on EINTR; returns the byte count, or -errno.
    public func readRaw(into buffer: UnsafeMutableRawPointer, count: Int, at offset: UInt64) -> Int {
        while true {
            let n = pread(fd, buffer, count, off_t(offset))
            if n >= 0 { return n }
            if errno == EINTR { continue }
            return -Int(errno)
        }
    }

    /// Reads as many bytes as are there, up to `count`, into `buffer`; returns how many.
    public func fill(_ buffer: UnsafeMutableRawPointer, count: Int, at offset: UInt64) throws(Failure) -> Int {
        var done = 0
        while done < count {
            let n = try read(into: buffer + done, count: count - done, at: offset + UInt64(done))
            if n == 0 { break }
            done += n
        }
        return done
    }

    /// Reads exactly `count` bytes at `offset`, or fewer at the end of the file.
    public func readFully(count: Int, at offset: UInt64) throws(Failure) -> [UInt8] {
        let pointer = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1), alignment: 8)
        defer { pointer.deallocate() }
        let done = try fill(pointer, count: count, at: offset)
        return Array(UnsafeRawBufferPointer(start: pointer, count: done))
    }

    /// Writes all of `bytes` at `offset`.
    public func write(_ bytes: [UInt8], at offset: UInt64) throws(Failure) {
        let code = bytes.withUnsafeBytes { raw in writeRaw(raw, at: offset) }
        guard code == 0 else { throw .io(operation: "write", path: path, errno: code) }
    }

    /// pwrite of all bytes, retrying on EINTR and short writes; returns 0 or errno.
    public func writeRaw(_ bytes: UnsafeRawBufferPointer, at offset: UInt64) -> Int32 {
        var done = 0
        while done < bytes.count {
            let n = pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(offset) + off_t(done))
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            done += n
        }
        return 0
    }

    /// fdatasync: the file's data (and the metadata needed to read it back) is on disk.
    public func sync() throws(Failure) {
        guard fdatasync(fd) == 0 else { throw .io(operation: "fdatasync", path: path, errno: errno) }
    }

    public func truncate(to size: UInt64) throws(Failure) {
        guard ftruncate(fd, off_t(size)) == 0 else { throw .io(operation: "truncate", path: path, errno: errno) }
    }

    /// Reserves `bytes` of disk for the file (growing it to at least that size), so that later writes
    /// into that range, including through a memory mapping, cannot fail for want of space: a full
    /// disk fails here, with ENOSPC, instead of as SIGBUS on a mapped page.
    public func allocate(bytes: UInt64) throws(Failure) {
        let code = posix_fallocate(fd, 0, off_t(bytes))
        guard code == 0 else { throw .io(operation: "reserve space", path: path, errno: code) }
    }

    /// Takes an exclusive advisory lock on the file (`flock(LOCK_EX)`), waiting at most `timeout`
    /// seconds, polling with a growing delay; false when another holder kept it that long. The
    /// kernel releases the lock when the descriptor is closed or the process ends, however it ends.
    public func lockExclusively(timeout: Double) throws(Failure) -> Bool {
        let start = Date()
        var delay: useconds_t = 1_000
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            guard code == EWOULDBLOCK || code == EINTR else { throw .io(operation: "lock", path: path, errno: code) }
            if Date().timeIntervalSince(start) >= timeout { return false }
            usleep(delay)
            delay = min(delay * 2, 50_000)
        }
        return true
    }

    public func unlock() {
        if fd >= 0 { flock(fd, LOCK_UN) }
    }
}

// Operations on paths.
extension PosixFile {
    public static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    /// The file's size in bytes (0 when it cannot be read).
    public static func size(_ path: String) -> UInt64 {
        var info = stat()
        return stat(path, &info) == 0 ? UInt64(info.st_size) : 0
    }

    /// Creates the directory (owner only) unless it exists.
    public static func makeDirectory(_ path: String) throws(Failure) {
        if mkdir(path, 0o700) != 0, errno != EEXIST { throw .io(operation: "mkdir", path: path, errno: errno) }
    }

    /// Creates an empty file readable by its owner only, unless one exists (SQLite then uses it as
    /// is, and gives its journal the same mode, whatever the process's umask).
    public static func createPrivateFileIfMissing(_ path: String) {
        let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd >= 0 { Glibc.close(fd) }
    }

    /// Removes the file; a missing file is not an error.
    public static func remove(_ path: String) throws(Failure) {
        if unlink(path) != 0 && errno != ENOENT { throw .io(operation: "unlink", path: path, errno: errno) }
    }

    public static func listDirectory(_ path: String) throws(Failure) -> [String] {
        guard let dir = opendir(path) else { throw .io(operation: "list", path: path, errno: errno) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// Flushes a file to disk (fsync).
    public static func fsync(path: String) throws(Failure) {
        let file = try openForReading(path)
        defer { file.close() }  // and not before: the descriptor lives as long as the value
        guard Glibc.fsync(file.fd) == 0 else { throw .io(operation: "fsync", path: path, errno: errno) }
    }

    /// Makes a directory's entries (created, renamed files) durable.
    public static func syncDirectory(_ path: String) throws(Failure) {
        let dir = try open(path, flags: O_RDONLY | O_DIRECTORY)
        defer { dir.close() }
        guard Glibc.fsync(dir.fd) == 0 else { throw .io(operation: "fsync directory", path: path, errno: errno) }
    }

    /// Atomically replaces `destination` with `source`, then makes the rename durable.
    public static func rename(_ source: String, over destination: String) throws(Failure) {
        guard Glibc.rename(source, destination) == 0 else {
            throw .io(operation: "rename to \(destination)", path: source, errno: errno)
        }
        try syncDirectory((destination as NSString).deletingLastPathComponent)
    }

    /// Writes a whole file atomically: temporary file, fdatasync, rename, fsync of the directory.
    public static func writeAtomically(_ bytes: [UInt8], to path: String) throws(Failure) {
        let temporary = path + ".tmp"
        let file = try open(temporary, flags: O_WRONLY | O_CREAT | O_TRUNC)
        try file.write(bytes, at: 0)
        try file.sync()
        file.close()
        try rename(temporary, over: path)
    }

    /// Starts writing a file's dirty pages to disk without waiting (Linux `sync_file_range`; best
    /// effort: durability comes only from fsync). A bulk-written file that is flushed as it grows
    /// leaves its final fsync little to wait for.
    public static func startWriteback(path: String) {
        guard let file = try? openForReading(path) else { return }
        defer { file.close() }
        _ = teamlog_start_writeback(file.fd)
    }
}
