import Foundation

/// A child process whose standard output and error are collected in the background, so it can be
/// killed at any instant and what it printed before is still read.
final class Child: @unchecked Sendable {
    struct Result {
        var status: Int32
        var killed: Bool
        var stdout: String
        var stderr: String

        /// Lines of standard output that were printed whole (a kill may cut the last one).
        var wholeLines: [Substring] {
            let lines = stdout.split(separator: "\n", omittingEmptySubsequences: true)
            return stdout.hasSuffix("\n") ? lines : Array(lines.dropLast())
        }
    }

    private let process = Process()
    private let group = DispatchGroup()
    private let lock = NSLock()
    private var out = Data()
    private var err = Data()

    init(_ executable: String, _ arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        let outPipe = Pipe(), errPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        try process.run()
        for (pipe, isOut) in [(outPipe, true), (errPipe, false)] {
            group.enter()
            DispatchQueue.global().async { [self] in
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                lock.lock()
                if isOut { out = data } else { err = data }
                lock.unlock()
                group.leave()
            }
        }
    }

    /// Runs to the end.
    static func run(_ executable: String, _ arguments: [String]) throws -> Result {
        try Child(executable, arguments).wait()
    }

    /// SIGKILLs the child after `seconds` unless it has exited by then.
    func kill(after seconds: Double) {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { usleep(200) }
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
    }

    func wait() -> Result {
        group.wait()
        process.waitUntilExit()
        lock.lock(); defer { lock.unlock() }
        let killed = process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL
        return Result(status: process.terminationStatus, killed: killed, stdout: String(decoding: out, as: UTF8.self),
                      stderr: String(decoding: err, as: UTF8.self))
    }
}
