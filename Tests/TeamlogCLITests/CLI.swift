import Foundation
import Testing

/// What one run of the built `teamlog` binary did.
struct RunResult {
    var status: Int32
    var stdout: String
    var stderr: String

    var lines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty } }

    /// Standard output parsed as JSON.
    func json() throws -> Any {
        try JSONSerialization.jsonObject(with: Data(stdout.utf8))
    }

    /// Each stdout line parsed as a JSON object.
    func jsonLines() throws -> [[String: Any]] {
        try lines.map { line in
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw CLI.Failure("not a JSON object: \(line)")
            }
            return object
        }
    }
}

/// Runs the built binary as a user would, in a temporary store of its own.
final class CLI: Sendable {
    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// `<package root>/.build/debug/teamlog` (built by `Tools/test` before `swift test`).
    /// The package's directory (this file is Tests/TeamlogCLITests/CLI.swift).
    static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    static let binary = packageRoot.appendingPathComponent(".build/debug/teamlog").path

    let root: String
    let store: String

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("teamlog-cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        store = root + "/store"
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    /// Runs `teamlog <arguments> --store <store>` (unless `withStore` is false) with `input` on standard input,
    /// in `directory` (default: the test process's own working directory).
    @discardableResult
    func run(_ arguments: [String], input: String? = nil, withStore: Bool = true,
             environment: [String: String] = [:], executable: String = CLI.binary, directory: String? = nil) throws -> RunResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.arguments = withStore ? arguments + ["--store", store] : arguments
        var env = ProcessInfo.processInfo.environment
        env["TEAMLOG_STORE"] = nil
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe(), err = Pipe(), inPipe = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = inPipe
        // A child that exits before reading all its input must not kill the test with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        try process.run()
        if let input { try? inPipe.fileHandleForWriting.write(contentsOf: Data(input.utf8)) }
        try? inPipe.fileHandleForWriting.close()
        // Read both pipes before waiting, so a large output cannot block the child.
        let group = DispatchGroup()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return RunResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Runs and expects success; returns standard output's result.
    @discardableResult
    func ok(_ arguments: [String], input: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws -> RunResult {
        let result = try run(arguments, input: input)
        #expect(result.status == 0, "teamlog \(arguments.joined(separator: " ")) exited \(result.status): \(result.stderr)",
                sourceLocation: sourceLocation)
        return result
    }

    /// Runs each statement as `teamlog sql <statement>` and expects it refused as a usage error (exit 64),
    /// with a standard error that `saysWhy` accepts.
    func expectSQLRefused(_ statements: [String], sourceLocation: SourceLocation = #_sourceLocation,
                          saysWhy: (String) -> Bool) throws {
        for statement in statements {
            let result = try run(["sql", statement])
            #expect(result.status == 64, "\(statement) exited \(result.status): \(result.stdout) \(result.stderr)",
                    sourceLocation: sourceLocation)
            #expect(saysWhy(result.stderr), "\(statement): \(result.stderr)", sourceLocation: sourceLocation)
        }
    }

    /// Writes a file in the test's directory and returns its path.
    func file(_ name: String, _ contents: String) throws -> String {
        let path = root + "/" + name
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
