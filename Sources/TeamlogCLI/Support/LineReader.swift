import Application
import Foundation
import PosixFiles

/// Reads lines from a file descriptor with its own buffer, so it can tell whether more input is
/// ready right now (`hasBufferedOrReadyInput`): `exec` on a pipe answers each burst at once.
final class LineReader {
    let fd: Int32
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEnd = false
    private(set) var bytesConsumed: UInt64 = 0
    /// The file's size, when it is a regular file (for progress); 0 otherwise.
    let totalBytes: UInt64

    /// Opens `path` (`-` for standard input). A missing file is a missing input.
    init(path: String) throws(ApplicationError) {
        if path == "-" {
            fd = 0
        } else {
            fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else {
                let code = errno
                let status: ExitStatus = code == ENOENT ? .missingInput : .ioError
                throw ApplicationError(status, "cannot read \(path): \(String(cString: strerror(code))) (errno \(code)). Give a JSON Lines file, or - for standard input.")
            }
        }
        totalBytes = OpenFileSize.regularFile(descriptor: fd) ?? 0
    }

    deinit { if fd > 0 { close(fd) } }

    /// The next line without its newline, or nil at the end of input: its bytes as read (decoding them
    /// to a `String` here would replace invalid UTF-8, which the command parser must refuse instead).
    func nextLine() throws(ApplicationError) -> [UInt8]? {
        while true {
            if let newline = buffer[start...].firstIndex(of: 10) {
                let line = Array(buffer[start..<newline])
                bytesConsumed += UInt64(newline - start + 1)
                start = newline + 1
                return line
            }
            if atEnd {
                guard start < buffer.count else { return nil }
                let line = Array(buffer[start...])
                bytesConsumed += UInt64(buffer.count - start)
                start = buffer.count
                return line
            }
            try fill()
        }
    }

    /// True when a whole line is buffered or the descriptor has data (or end of input) ready now.
    var hasBufferedOrReadyInput: Bool {
        if atEnd || buffer[start...].contains(10) { return true }
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 0) > 0
    }

    private func fill() throws(ApplicationError) {
        if start > 0 {
            buffer.removeFirst(start)
            start = 0
        }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if count < 0 {
            let code = errno
            if code == EINTR { return }
            throw ApplicationError(.ioError, "reading the commands failed: \(String(cString: strerror(code))) (errno \(code))")
        }
        if count == 0 { atEnd = true } else { buffer.append(contentsOf: chunk[0..<count]) }
    }
}
