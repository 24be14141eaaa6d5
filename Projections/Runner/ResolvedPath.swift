public import Foundation

/// Where a path really leads: made absolute, every symbolic link followed (the path's own last
/// component and each of its parents), `.` and `..` applied as the kernel would. The path need not
/// exist: the part that does not is kept as written. Used to refuse output files that would land
/// inside a store, whatever links or `..` lead there.
public enum ResolvedPath {
    /// Links followed at most, as the kernel's `ELOOP` limit: past it, the rest is taken as written.
    static let maxLinks = 40

    /// `path` resolved, relative paths taken from `directory` (default: the current directory).
    public static func resolve(_ path: String, from directory: String = FileManager.default.currentDirectoryPath) -> String {
        let absolute = path.hasPrefix("/") ? path : directory + "/" + path
        var pending = Array(absolute.split(separator: "/", omittingEmptySubsequences: true).reversed())
        var resolved: [Substring] = []
        var links = 0
        while let part = pending.popLast() {
            if part == "." { continue }
            if part == ".." {
                _ = resolved.popLast()
                continue
            }
            let candidate = "/" + (resolved + [part]).joined(separator: "/")
            if links < maxLinks, let target = linkTarget(candidate) {
                links += 1
                if target.hasPrefix("/") { resolved = [] }
                pending.append(contentsOf: target.split(separator: "/", omittingEmptySubsequences: true).reversed())
                continue
            }
            resolved.append(part)
        }
        return "/" + resolved.joined(separator: "/")
    }

    /// Whether `path` is `directory` or lies under it (both already resolved); compared by whole
    /// components, so `/a/store-copy` is not inside `/a/store`.
    public static func isInside(_ path: String, directory: String) -> Bool {
        if directory == "/" { return true }
        let base = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        return path == base || path.hasPrefix(base + "/")
    }

    /// The target of the symbolic link at `path`, or nil when it is not one (or does not exist).
    private static func linkTarget(_ path: String) -> String? {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK else { return nil }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
