import Foundation

/// A file descriptor with the few calls the log needs, each failing with `EventLogError.io`.
final class PosixFile {
    let path: String
    private(set) var fd: Int32

    private init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
    }

    deinit { close() }

    static func open(_ path: String, flags: Int32, mode: mode_t = 0o600) throws(EventLogError) -> PosixFile {
        let fd = Glibc.open(path, flags | O_CLOEXEC, mode)
        guard fd >= 0 else { throw .io(operation: "open", path: path, errno: errno) }
        return PosixFile(path: path, fd: fd)
    }

    static func openForReading(_ path: String) throws(EventLogError) -> PosixFile {
        try open(path, flags: O_RDONLY)
    }

    func close() {
        if fd >= 0 { _ = Glibc.close(fd); fd = -1 }
    }

    func size() throws(EventLogError) -> UInt64 {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .io(operation: "stat", path: path, errno: errno) }
        return UInt64(info.st_size)
    }

    /// Reads up to `count` bytes at `offset` into `buffer` at `bufferOffset`; returns the bytes read (0 at end of file).
    func read(into buffer: UnsafeMutableRawPointer, count: Int, at offset: UInt64) throws(EventLogError) -> Int {
        let n = readRaw(into: buffer, count: count, at: offset)
        guard n >= 0 else { throw .io(operation: "read", path: path, errno: Int32(-n)) }
        return n
    }

    /// pread that retries on EINTR; returns the byte count, or -errno.
    func readRaw(into buffer: UnsafeMutableRawPointer, count: Int, at offset: UInt64) -> Int {
        while true {
            let n = pread(fd, buffer, count, off_t(offset))
            if n >= 0 { return n }
            if errno == EINTR { continue }
            return -Int(errno)
        }
    }

    /// Reads as many bytes as are there, up to `count`, into `buffer`; returns how many.
    func fill(_ buffer: UnsafeMutableRawPointer, count: Int, at offset: UInt64) throws(EventLogError) -> Int {
        var done = 0
        while done < count {
            let n = try read(into: buffer + done, count: count - done, at: offset + UInt64(done))
            if n == 0 { break }
            done += n
        }
        return done
    }

    /// Reads exactly `count` bytes at `offset`, or fewer at the end of the file.
    func readFully(count: Int, at offset: UInt64) throws(EventLogError) -> [UInt8] {
        let pointer = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1), alignment: 8)
        defer { pointer.deallocate() }
        let done = try fill(pointer, count: count, at: offset)
        return Array(UnsafeRawBufferPointer(start: pointer, count: done))
    }

    /// Writes all of `bytes` at `offset`.

    func write(_ bytes: [UInt8], at offset: UInt64) throws(EventLogError) {
        let code = bytes.withUnsafeBytes { raw in writeRaw(raw, at: offset) }
        guard code == 0 else { throw .io(operation: "write", path: path, errno: code) }
    }

    /// pwrite of all bytes, retrying on EINTR and short writes; returns 0 or errno.
    func writeRaw(_ bytes: UnsafeRawBufferPointer, at offset: UInt64) -> Int32 {
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

    func sync() throws(EventLogError) {
        guard fdatasync(fd) == 0 else { throw .io(operation: "fdatasync", path: path, errno: errno) }
    }

    func truncate(to size: UInt64) throws(EventLogError) {
        guard ftruncate(fd, off_t(size)) == 0 else { throw .io(operation: "truncate", path: path, errno: errno) }
    }

    /// Reserves `bytes` of disk for the file (growing it to at least that size), so that later writes
    /// into that range, including through a memory mapping, cannot fail for want of space: a full
    /// disk fails here, with ENOSPC, instead of as SIGBUS on a mapped page.
    func allocate(bytes: UInt64) throws(EventLogError) {
        let code = posix_fallocate(fd, 0, off_t(bytes))
        guard code == 0 else { throw .io(operation: "reserve space", path: path, errno: code) }
    }

    /// The file's identity and size as the kernel sees it through this descriptor.
    func status() throws(EventLogError) -> stat {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .io(operation: "stat", path: path, errno: errno) }
        return info
    }

    /// Makes a directory's entries (created, renamed files) durable.
    static func syncDirectory(_ path: String) throws(EventLogError) {
        let dir = try PosixFile.open(path, flags: O_RDONLY | O_DIRECTORY)
        guard fsync(dir.fd) == 0 else { throw .io(operation: "fsync directory", path: path, errno: errno) }
    }

    /// Writes a whole file atomically: temporary file, fsync, rename, fsync of the directory.
    static func writeAtomically(_ bytes: [UInt8], to path: String) throws(EventLogError) {
        let temporary = path + ".tmp"
        let file = try PosixFile.open(temporary, flags: O_WRONLY | O_CREAT | O_TRUNC)
        try file.write(bytes, at: 0)
        try file.sync()
        file.close()
        try rename(temporary, to: path)
    }

    static func rename(_ from: String, to: String) throws(EventLogError) {
        guard Glibc.rename(from, to) == 0 else { throw .io(operation: "rename", path: from, errno: errno) }
        try syncDirectory((to as NSString).deletingLastPathComponent)
    }

    static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    static func makeDirectory(_ path: String) throws(EventLogError) {
        if mkdir(path, 0o700) != 0, errno != EEXIST { throw .io(operation: "mkdir", path: path, errno: errno) }
    }

    static func remove(_ path: String) {
        unlink(path)
    }

    static func listDirectory(_ path: String) throws(EventLogError) -> [String] {
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
}
