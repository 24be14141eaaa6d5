import Foundation

/// A real PostgreSQL 15 cluster for one test: `initdb` into a temporary directory, started on a unix
/// socket in that directory (no TCP port), removed by `stop()`. As root, the server runs as the
/// `postgres` user (PostgreSQL refuses to run as root).
final class PostgresCluster: @unchecked Sendable {  // Its properties never change after init.
    static let binaries = "/usr/lib/postgresql/15/bin"
    static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: "\(binaries)/initdb") }

    let directory: String
    let port = 5432

    var data: String { directory + "/data" }
    /// The URL of the cluster's `postgres` database, as user `teamlog` (trusted locally).
    var url: String { "postgres://teamlog@/postgres?host=\(directory)&port=\(port)" }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("teamlog-pg-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if getuid() == 0 { try Self.run("/bin/chown", ["postgres", directory]) }
        try runAsOwner("initdb", ["-D", data, "-A", "trust", "-U", "teamlog", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"])
        try start()
    }

    func start() throws {
        try runAsOwner("pg_ctl", ["-D", data, "-l", directory + "/server.log", "-w", "-o",
                                  "-k \(directory) -c listen_addresses='' -p \(port) -c fsync=off", "start"])
    }

    /// Stops the server at once (as a crash would).
    func kill() throws {
        try runAsOwner("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"])
    }

    func stop() {
        try? runAsOwner("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"])
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Runs `sql` with the stock `psql` and returns what it printed (unaligned, tuples only).
    @discardableResult
    func psql(_ sql: String) throws -> String {
        try Self.run("\(Self.binaries)/psql", ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", directory, "-p", String(port),
                                              "-U", "teamlog", "-d", "postgres", "-c", sql])
    }

    @discardableResult
    private func runAsOwner(_ tool: String, _ arguments: [String]) throws -> String {
        let path = "\(Self.binaries)/\(tool)"
        if getuid() == 0 {
            return try Self.run("/usr/sbin/runuser", ["-u", "postgres", "--", path] + arguments)
        } else {
            return try Self.run(path, arguments)
        }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs a tool to its end (posix_spawn and waitpid: Foundation's `Process` was seen waiting forever for
    /// `runuser` to exit after `pg_ctl start` had left the server running). Its output goes to a file.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("teamlog-pg-tool-\(UUID().uuidString.prefix(8)).log").path
        defer { unlink(log) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else { throw Failure(description: "\(executable): posix_spawn failed (\(String(cString: strerror(spawned))))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw Failure(description: "\(executable): waitpid failed (\(String(cString: strerror(errno))))") }
        }
        // Exited normally with status 0 (WIFEXITED and WEXITSTATUS, which Swift does not import).
        guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw Failure(description: "\(executable) \(arguments.joined(separator: " ")) failed (wait status \(status)): \(text)")
        }
        return (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
    }
}
