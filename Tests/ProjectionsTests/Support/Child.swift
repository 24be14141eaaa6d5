import Foundation

/// The `teamlog-testkit` executable, run as a child process that a test may SIGKILL.
struct TestKitChild {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let binary = packageRoot.appendingPathComponent(".build/debug/teamlog-testkit").path

    struct Missing: Error, CustomStringConvertible {
        var description: String {
            "\(TestKitChild.binary) is missing: build it with `flock /tmp/teamlog-swift.lock swift build --product teamlog-testkit`"
        }
    }

    struct Failed: Error, CustomStringConvertible {
        var lines: [String]
        var description: String { "teamlog-testkit failed; it printed: \(lines.suffix(5).joined(separator: " | "))" }
    }

    let process = Process()
    let outputPath: String

    /// Starts `teamlog-testkit project <arguments>`, its standard output going to `outputPath`.
    init(_ arguments: [String], outputPath: String) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary) else { throw Missing() }
        self.outputPath = outputPath
        FileManager.default.createFile(atPath: outputPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = ["project"] + arguments
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    var lines: [String] {
        ((try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    /// Waits (at most `timeout` seconds) for `count` lines starting with `prefix` (the child prints
    /// one per durable step: `checkpoint P`, `position P`); false if the child ended or the time passed first.
    func waitFor(_ prefix: String, count: Int = 1, timeout: Double = 60) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        func seen() -> Bool { lines.lazy.filter { $0.hasPrefix(prefix) }.count >= count }
        while Date() < deadline {
            if seen() { return true }
            if !process.isRunning { return seen() }
            usleep(2_000)
        }
        return false
    }

    func kill() {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// Runs to the end; returns the exit status and the output lines.
    static func run(_ arguments: [String], outputPath: String) throws -> (status: Int32, lines: [String]) {
        let child = try TestKitChild(arguments, outputPath: outputPath)
        child.process.waitUntilExit()
        return (child.process.terminationStatus, child.lines)
    }
}
