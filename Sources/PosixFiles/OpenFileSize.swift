import Glibc

/// The size of an open file, for readers that take whatever descriptor they are given.
public enum OpenFileSize {
    /// The size of the regular file open as `descriptor`; nil for a pipe, a terminal or when it cannot be read.
    public static func regularFile(descriptor: Int32) -> UInt64? {
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return UInt64(info.st_size)
    }
}
