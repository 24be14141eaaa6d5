import Foundation

/// A small tmpfs mounted for one test (needs root: `mount -t tmpfs -o size=N`), unmounted when
/// released, for tests of a full disk. `fill(leaving:)` takes all but some KiB with a filler file.
public final class Tmpfs {
    public let path: String
    private let parent: String

    /// True when this process may mount a tmpfs (tests of a full disk are skipped otherwise).
    public static let canMount: Bool = {
        guard geteuid() == 0, let probe = try? Tmpfs(kibibytes: 64) else { return false }
        _ = probe
        return true
    }()

    public struct MountFailed: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    public init(kibibytes: Int) throws {
        parent = NSTemporaryDirectory() + "teamlog-tmpfs-" + UUID().uuidString
        path = parent + "/mnt"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let status = Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(kibibytes)k,mode=0700", "tmpfs", path])
        guard status == 0 else {
            try? FileManager.default.removeItem(atPath: parent)
            throw MountFailed(description: "mount -t tmpfs of \(kibibytes) KiB at \(path) exited \(status)")
        }
    }

    deinit {
        if Self.run("/bin/umount", [path]) != 0 { _ = Self.run("/bin/umount", ["-l", path]) }
        try? FileManager.default.removeItem(atPath: parent)
    }

    public var fillerPath: String { path + "/filler" }

    /// Bytes still free.
    public var availableBytes: UInt64 {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return 0 }
        return UInt64(info.f_bavail) * UInt64(info.f_frsize)
    }

    /// Grows the filler file until only `kibibytes` KiB are left free (or nothing, when less was).
    public func fill(leaving kibibytes: Int) throws {
        let fd = open(fillerPath, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        guard fd >= 0 else { throw MountFailed(description: "cannot open \(fillerPath): errno \(errno)") }
        defer { close(fd) }
        let target = UInt64(kibibytes) * 1024
        let chunk = [UInt8](repeating: 0x5A, count: 4096)
        while availableBytes > target {
            let step = Int(min(UInt64(chunk.count), availableBytes - target))
            if chunk.withUnsafeBytes({ write(fd, $0.baseAddress, step) }) <= 0 { break }
        }
    }

    public func removeFiller() {
        unlink(fillerPath)
    }

    @discardableResult
    public static func run(_ executable: String, _ arguments: [String]) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }
}
