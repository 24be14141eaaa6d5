import Foundation
import Testing

/// `<package root>/.build/debug/teamlog` (built by `Tools/test` before `swift test`).
enum TeamlogBinary {
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".build/debug/teamlog").path
}

/// The built `teamlog` against a real PostgreSQL, as a user runs it: `pg sync`, `pg status`, and a sync
/// killed (SIGKILL) at many instants and run again.
@Suite(.enabled(if: PostgresCluster.isInstalled && FileManager.default.isExecutableFile(atPath: TeamlogBinary.path),
                "needs PostgreSQL 15 and the built teamlog (Tools/test provides both)"), .serialized)
struct MirrorCLITests {
    static let binary = TeamlogBinary.path

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Starts `teamlog <arguments>`, its output into files under `directory`.
    static func start(_ arguments: [String], in directory: String) throws -> (Process, String, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        let id = UUID().uuidString.prefix(8)
        let out = directory + "/out-\(id)", err = directory + "/err-\(id)"
        FileManager.default.createFile(atPath: out, contents: nil)
        FileManager.default.createFile(atPath: err, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return (process, out, err)
    }

    static func run(_ arguments: [String], in directory: String) throws -> Run {
        let (process, out, err) = try start(arguments, in: directory)
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
                   stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
    }

    /// `pg status --format json`'s views, after expecting it to exit 0.
    static func status(store: String, url: String, in directory: String,
                       sourceLocation: SourceLocation = #_sourceLocation) throws -> (head: Int, eventsHead: Int, views: [[String: Any]]) {
        let result = try run(["pg", "status", "--store", store, "--url", url, "--format", "json"], in: directory)
        #expect(result.status == 0, "pg status: \(result.stderr)", sourceLocation: sourceLocation)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
                                  sourceLocation: sourceLocation)
        return (object["logHead"] as? Int ?? -1, object["eventsHead"] as? Int ?? -2, object["views"] as? [[String: Any]] ?? [])
    }

    /// Every view at the log's head in PostgreSQL, with the fingerprint of the store's own SQLite view.
    static func expectEqual(store: String, url: String, in directory: String, _ label: String,
                            sourceLocation: SourceLocation = #_sourceLocation) throws {
        let status = try status(store: store, url: url, in: directory, sourceLocation: sourceLocation)
        #expect(status.head > 0 && status.eventsHead == status.head, "\(label)", sourceLocation: sourceLocation)
        #expect(status.views.count == 8, "\(label)", sourceLocation: sourceLocation)
        for view in status.views {
            #expect(view["checkpoint"] as? Int == status.head, "\(label): \(view["name"] ?? "?")", sourceLocation: sourceLocation)
            #expect(view["fingerprintsEqual"] as? Bool == true, "\(label): \(view)", sourceLocation: sourceLocation)
        }
    }

    static func temporaryDirectory() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("teamlog-pgcli-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test func theDemoStoreSyncedAndCheckedThroughTheCLI() throws {
        let cluster = try PostgresCluster()
        defer { cluster.stop() }
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = directory + "/store"
        #expect(try Self.run(["demo", "--store", store, "--events", "4000"], in: directory).status == 0)

        // Before any sync: no mirror yet, nothing to compare, exit 0.
        let before = try Self.status(store: store, url: cluster.url, in: directory)
        #expect(before.eventsHead == 0 && before.views.allSatisfy { $0["checkpoint"] is NSNull })

        let sync = try Self.run(["pg", "sync", "--store", store, "--url", cluster.url], in: directory)
        #expect(sync.status == 0, "\(sync.stderr)")
        #expect(sync.stdout.contains("view inbox: copied whole"))
        try Self.expectEqual(store: store, url: cluster.url, in: directory, "after the first sync")

        // A row changed behind the mirror's back is found (exit 65, naming the view), and --recopy repairs it.
        try cluster.psql("UPDATE teamlog_users_v1.users SET name = name || '!' "
                         + "WHERE user_id = (SELECT min(user_id) FROM teamlog_users_v1.users)")
        let damaged = try Self.run(["pg", "status", "--store", store, "--url", cluster.url], in: directory)
        #expect(damaged.status == 65)
        #expect(damaged.stderr.contains("users: PostgreSQL's rows differ") && damaged.stderr.contains("--recopy"))
        #expect(try Self.run(["pg", "sync", "--store", store, "--url", cluster.url, "--recopy"], in: directory).status == 0)
        try Self.expectEqual(store: store, url: cluster.url, in: directory, "after --recopy")

        // The mirror's own shadow files emptied, filled with garbage or deleted: the next sync repairs
        // them from the log (copying whole where it must) and every view still equals the store's.
        let shadows = try #require(try FileManager.default.contentsOfDirectory(atPath: store + "/postgres").first)
        let views = store + "/postgres/" + shadows + "/views/"
        #expect(FileManager.default.createFile(atPath: views + "inbox.sqlite", contents: Data()))
        #expect(FileManager.default.createFile(atPath: views + "jobs.sqlite", contents: Data((0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 31) })))
        try FileManager.default.removeItem(atPath: views + "users.sqlite")
        let repaired = try Self.run(["pg", "sync", "--store", store, "--url", cluster.url], in: directory)
        #expect(repaired.status == 0, "\(repaired.stderr)")
        try Self.expectEqual(store: store, url: cluster.url, in: directory, "after damaged shadows")

        // An unreachable server: exit 75 once --retry-for is spent, with what to do; a bad URL: 64.
        let down = try Self.run(["pg", "sync", "--store", store, "--url", "postgres://teamlog@/postgres?host=\(directory)/none",
                                 "--retry-for", "0"], in: directory)
        #expect(down.status == 75 && down.stderr.contains("unreachable"))
        let bad = try Self.run(["pg", "sync", "--store", store, "--url", "mysql://example.com/x"], in: directory)
        #expect(bad.status == 64 && bad.stderr.contains("invalid PostgreSQL URL"))
    }

    /// `kill -9` of `pg sync` at many instants (while events are copied, while views are copied whole,
    /// while they are swapped in), each followed by another killed run; the last run completes, and every
    /// view then equals the store's own, with each event in `teamlog.events` once.
    @Test func aSyncKilledAtManyInstantsResumesWithoutApplyingAnEventTwice() throws {
        let cluster = try PostgresCluster()
        defer { cluster.stop() }
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = directory + "/store"
        #expect(try Self.run(["demo", "--store", store, "--events", "6000"], in: directory).status == 0)
        var generator = SystemRandomNumberGenerator()
        for round in 0..<8 {
            let (process, _, _) = try Self.start(["pg", "sync", "--store", store, "--url", cluster.url], in: directory)
            let delay = Double(round) * 0.15 + Double.random(in: 0..<0.15, using: &generator)
            Thread.sleep(forTimeInterval: delay)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        let last = try Self.run(["pg", "sync", "--store", store, "--url", cluster.url], in: directory)
        #expect(last.status == 0, "\(last.stderr)")
        try Self.expectEqual(store: store, url: cluster.url, in: directory, "after the killed syncs")
        let count = try cluster.psql("SELECT count(*) = max(position) FROM teamlog.events")
        #expect(count.trimmingCharacters(in: .whitespacesAndNewlines) == "t")
    }
}
