import Foundation

/// One file made read-only for one test, whatever the process's privileges (root ignores a file's
/// mode): a read-only bind mount of the file over itself (`mount --bind F F`, then
/// `mount -o remount,bind,ro F`; needs root), unmounted when released. Writes to it fail with EROFS.
public final class ReadOnlyBind {
    public let path: String

    /// True when this process may bind-mount a file read-only (the tests of read-only files are skipped otherwise).
    public static let canMount: Bool = {
        guard geteuid() == 0 else { return false }
        let probe = NSTemporaryDirectory() + "teamlog-ro-probe-" + UUID().uuidString
        guard FileManager.default.createFile(atPath: probe, contents: Data([1])) else { return false }
        defer { try? FileManager.default.removeItem(atPath: probe) }
        guard let bind = try? ReadOnlyBind(probe) else { return false }
        return open(probe, O_WRONLY) < 0 && errno == EROFS && bind.path == probe
    }()

    public init(_ path: String) throws {
        self.path = path
        guard Tmpfs.run("/bin/mount", ["--bind", path, path]) == 0 else {
            throw Tmpfs.MountFailed(description: "mount --bind \(path) \(path) failed")
        }
        guard Tmpfs.run("/bin/mount", ["-o", "remount,bind,ro", path]) == 0 else {
            _ = Tmpfs.run("/bin/umount", [path])
            throw Tmpfs.MountFailed(description: "mount -o remount,bind,ro \(path) failed")
        }
    }

    deinit {
        if Tmpfs.run("/bin/umount", [path]) != 0 { _ = Tmpfs.run("/bin/umount", ["-l", path]) }
    }
}
