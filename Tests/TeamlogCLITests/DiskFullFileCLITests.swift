import Foundation
import TeamlogTestSupport
import Testing

/// A full disk under each kind of file the store has, one at a time: the segments (`log/`), the index
/// files (`index/`), the decision state (`state/`), the views (`views/`) and the `acknowledged` record,
/// each on a small tmpfs of its own (bind-mounted over its place in the store, so that only that file
/// runs out of room). While the file needs to grow, the command (or the query) exits 74 naming a file
/// on that disk and saying to free space; nothing acknowledged is lost; a failed command leaves the log
/// unchanged; once space is freed the same command succeeds and the store verifies clean.
@Suite(.enabled(if: Tmpfs.canMount, "needs root to mount a tmpfs (mount -t tmpfs); skipped otherwise"))
struct DiskFullFileCLITests {
    /// A tmpfs holding what was at `path` (a directory's entries, or a file), bind-mounted over `path`.
    final class OwnDisk {
        let disk: Tmpfs
        let path: String

        init(over path: String, kibibytes: Int) throws {
            disk = try Tmpfs(kibibytes: kibibytes)
            self.path = path
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            let target = disk.path + (isDirectory.boolValue ? "/files" : "/file")
            // `cp -a` keeps modes (the store's files are private).
            guard Tmpfs.run("/bin/cp", ["-a", path, target]) == 0 else {
                throw Tmpfs.MountFailed(description: "cp -a \(path) \(target) failed")
            }
            guard Tmpfs.run("/bin/mount", ["--bind", target, path]) == 0 else {
                throw Tmpfs.MountFailed(description: "mount --bind \(target) \(path) failed")
            }
        }

        deinit {
            if Tmpfs.run("/bin/umount", [path]) != 0 { _ = Tmpfs.run("/bin/umount", ["-l", path]) }
        }
    }

    static func register(_ n: Int) -> [String] {
        ["register-account", "--actor", "u-df-\(n)", "--user-id", "u-df-\(n)", "--role", "buyer",
         "--name", "Disk Full " + String(repeating: "n", count: 180), "--email", "df-\(n)@example.com", "--command-id", "df-\(n)"]
    }

    /// The command ids in the log.
    static func loggedCommandIds(_ cli: CLI) throws -> Set<String> {
        let log = try cli.ok(["log", "--format", "jsonl"])
        return Set(try log.jsonLines().compactMap { $0["commandId"] as? String })
    }

    enum Kind: String, CaseIterable, CustomTestStringConvertible {
        case segment = "log", index = "index", decisionState = "state", view = "views", acknowledged = "acknowledged"
        var testDescription: String { rawValue }
    }

    @Test(arguments: Kind.allCases)
    func aFullDiskUnderOneKindOfFileExits74NamingItLosesNothingAndGoesOnOnceSpaceIsFreed(kind: Kind) throws {
        // Given a store with a history, the files of one kind on a disk of their own that is full
        let cli = try CLI()
        try cli.ok(["demo", "--events", "200"])
        try cli.ok(["query", "users"])
        let own = try OwnDisk(over: cli.store + "/" + kind.rawValue, kibibytes: 4 * 1024)
        try own.disk.fill(leaving: 0)

        // When commands (and, for the views, queries) run until one needs that file to grow
        var acknowledged: Set<String> = []
        var failed: (arguments: [String], result: RunResult)?
        for n in 0..<200 where failed == nil {
            let arguments = kind == .view ? ["query", "users"] : Self.register(n)
            // The views are written by queries, not by commands: a command first, then the query that catches up.
            if kind == .view { try cli.ok(Self.register(n)); acknowledged.insert("df-\(n)") }
            let before = try ReadOnlyFileCLITests.logBytes(cli.store)
            let eventsBefore = try cli.ok(["log", "--show-payload", "--format", "jsonl"]).stdout
            let result = try cli.run(arguments)
            #expect([0, 74].contains(result.status), "\(kind): \(arguments.prefix(2)) exited \(result.status): \(result.stderr)")
            if result.status == 0 {
                if kind != .view { acknowledged.insert("df-\(n)") }
                continue
            }
            failed = (arguments, result)
            // Then it exits 74 naming a file of that kind and saying what to do, and the log is unchanged
            #expect(result.stderr.contains("the disk is full") && result.stderr.contains("Free some space"), "\(kind): \(result.stderr)")
            #expect(result.stderr.contains(cli.store + "/" + kind.rawValue), "\(kind): names no file of its kind: \(result.stderr)")
            // The log holds the same events: its bytes are the same, or they differ only by the repair of
            // what an earlier process could not finish on the full disk (a frame's end mark written when
            // the log is opened), which holds no event.
            if try ReadOnlyFileCLITests.logBytes(cli.store) != before {
                let eventsAfter = try cli.ok(["log", "--show-payload", "--format", "jsonl"]).stdout
                print("DiskFullFileCLITests: \(kind): the log's bytes changed, its events \(eventsAfter == eventsBefore ? "did not" : "DID")")
                #expect(eventsAfter == eventsBefore, "\(kind): the failed command changed the log's events: \(result.stderr)")
            }
        }
        // And nothing acknowledged is lost
        let missing = acknowledged.subtracting(try Self.loggedCommandIds(cli))
        #expect(missing.isEmpty, "\(kind): acknowledged but not in the log: \(missing.sorted())")

        if kind == .acknowledged {
            // `acknowledged` is two slots rewritten in place: it never grows, so a full disk under it stops nothing.
            #expect(failed == nil, "\(kind): \(failed.map { $0.result.stderr } ?? "")")
        } else {
            #expect(failed != nil, "\(kind): 200 commands never needed the full disk")
        }

        // Then once space is freed, the same command succeeds and the store verifies clean
        own.disk.removeFiller()
        if let failed { try cli.ok(failed.arguments) }
        let verify = try cli.run(["verify", "--views"])
        #expect(verify.status == 0, "\(kind): verify --views after freeing space: \(verify.stdout) \(verify.stderr)")
        #expect(try Self.loggedCommandIds(cli).isSuperset(of: acknowledged))
    }
}
