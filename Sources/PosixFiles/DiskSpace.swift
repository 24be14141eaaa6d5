import Foundation

/// Room left on a file system, to tell a full disk from other failures: SQLite reports some writes
/// refused for lack of room as an I/O error without the system's errno (growing a WAL's
/// shared-memory file, an fsync of delayed allocations, creating a journal), and those count as a
/// full disk when the file system that holds the file is nearly full.
public enum DiskSpace {
    /// Below this much room for unprivileged writes, an I/O error is taken as a full disk.
    public static let nearlyFullBytes: UInt64 = 1 << 20

    public static func isFull(errno code: Int32) -> Bool { code == ENOSPC || code == EDQUOT }

    /// Whether the file system holding `path` (or, when it does not exist, its nearest existing
    /// parent) is almost full.
    public static func isNearlyFull(_ path: String) -> Bool {
        guard let available = availableBytes(path) else { return false }
        return available < nearlyFullBytes
    }

    /// Bytes an unprivileged process may still write on the file system holding `path` (or its
    /// nearest existing parent).
    public static func availableBytes(_ path: String) -> UInt64? {
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
