import Foundation

/// `teamlog serve` on a store of its own, on a free loopback port, started and stopped as an operator
/// would: the built binary, signals to stop it.
final class ServedStore {
    let cli: CLI
    private(set) var process: Process?
    private(set) var url = ""
    private(set) var http: TestHTTP
    private let errorFile: String
    /// The key made before the server starts (a server does not start without a key file).
    private(set) var systemKey = ""
    /// What `serve` is given besides the store and the address (e.g. `--smtp HOST:PORT`).
    let serveArguments: [String]

    /// A store made with `setup` (e.g. a demo), then served.
    init(cli: CLI = try! CLI(), setup: [String]? = ["demo", "--events", "300"], environment: [String: String] = [:],
         serveArguments: [String] = []) throws {
        self.cli = cli
        self.serveArguments = serveArguments
        if let setup { try cli.run(setup) }
        errorFile = cli.root + "/serve.err"
        http = try TestHTTP(url: "http://127.0.0.1:1")
        systemKey = try key(actor: "system", role: "system")
        try start(environment: environment)
    }

    deinit {
        if let process, process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// Starts the server and waits for its `listening on URL` line.
    func start(environment: [String: String] = [:]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = ["serve", "--store", cli.store, "--listen", "127.0.0.1:0"] + serveArguments
        var env = ProcessInfo.processInfo.environment
        for (name, value) in environment { env[name] = value }
        process.environment = env
        let out = Pipe()
        process.standardOutput = out
        FileManager.default.createFile(atPath: errorFile, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: errorFile)
        try process.run()
        self.process = process
        let deadline = Date().addingTimeInterval(60)
        var text = ""
        while !text.contains("\n"), Date() < deadline, process.isRunning {
            let data = out.fileHandleForReading.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
        }
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("listening on ") }) else {
            throw CLI.Failure("teamlog serve did not start: \(text) \(serverLog)")
        }
        url = String(line.dropFirst("listening on ".count))
        http = try TestHTTP(url: url)
    }

    /// What the server logged (standard error).
    var serverLog: String { (try? String(contentsOfFile: errorFile, encoding: .utf8)) ?? "" }

    /// Sends `signal` and waits for the process to end; returns its exit status.
    @discardableResult
    func stop(_ signal: Int32 = SIGTERM, within seconds: Double = 30) throws -> Int32 {
        guard let process else { return 0 }
        kill(process.processIdentifier, signal)
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        guard !process.isRunning else {
            kill(process.processIdentifier, SIGKILL)
            throw CLI.Failure("teamlog serve did not stop within \(seconds) s of signal \(signal)")
        }
        self.process = nil
        return process.terminationStatus
    }

    /// A new API key for `actor` with `role`, made with `teamlog keys add`.
    func key(actor: String, role: String) throws -> String {
        let result = try cli.run(["keys", "add", "--actor", actor, "--role", role])
        guard result.status == 0, let key = result.lines.last else { throw CLI.Failure("keys add failed: \(result.stderr)") }
        return key
    }
}
