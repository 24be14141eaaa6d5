import Foundation
import TeamlogTestSupport
import Testing

/// A read-only file of the store (each kind in turn: a log segment, the `acknowledged` record, the index
/// files, the decision state, a view) is reported as such: exit 77 naming the file and saying to make it
/// writable (never exit 1, never advice to rebuild or delete it), nothing is appended, and once the file is
/// writable again the same store goes on.
@Suite(.enabled(if: ReadOnlyBind.canMount, "needs root to bind-mount a file read-only (mount --bind, remount,ro); skipped otherwise"))
struct ReadOnlyFileCLITests {
    /// The log's bytes (every segment, in order).
    static func logBytes(_ store: String) throws -> Data {
        let directory = store + "/log"
        return try FileManager.default.contentsOfDirectory(atPath: directory).sorted().reduce(into: Data()) {
            $0 += try Data(contentsOf: URL(fileURLWithPath: directory + "/" + $1))
        }
    }

    static func register(_ n: String) -> [String] {
        ["register-account", "--actor", "u-ro-\(n)", "--user-id", "u-ro-\(n)", "--role", "buyer", "--name", "RO",
         "--email", "ro-\(n)@example.com"]
    }

    /// Files a command writes: the command is refused with 77 and the log is unchanged.
    @Test(arguments: ["log/00000000000000000001.lz4", "acknowledged", "index/commands.tbl", "index/streams.tbl",
                      "state/decisions.sqlite"])
    func aCommandOnAReadOnlyFileExits77NamingItAndAppendsNothing(file: String) throws {
        // Given a store with a history, one of whose files is read-only
        let cli = try CLI()
        try cli.ok(["demo", "--events", "200"])
        let path = cli.store + "/" + file
        let before = try Self.logBytes(cli.store)
        var bind: ReadOnlyBind? = try ReadOnlyBind(path)
        _ = bind

        // When a command runs, it is refused: 77, naming the file, saying to make it writable
        let result = try cli.run(Self.register("1"))
        #expect(result.status == 77, "\(file): exited \(result.status): \(result.stderr)")
        #expect(result.stderr.contains(path), "\(file): names no file: \(result.stderr)")
        #expect(result.stderr.contains("read-only") && result.stderr.contains("writable"), "\(file): \(result.stderr)")
        #expect(!result.stderr.contains("rebuild") && !result.stderr.contains("delete"), "\(file): \(result.stderr)")
        // And nothing was appended
        #expect(try Self.logBytes(cli.store) == before, "\(file): the log changed")

        // Then once the file is writable again, the same store goes on
        bind = nil
        try cli.ok(Self.register("2"))
        #expect(try cli.run(["verify", "--views"]).status == 0)
    }

    /// A view's file: a query that must bring it up to date exits 77 naming it; commands, which do not write views, go on.
    @Test func aQueryOnAReadOnlyViewExits77NamingIt() throws {
        let cli = try CLI()
        try cli.ok(["demo", "--events", "200"])
        let path = cli.store + "/views/users.sqlite"
        var bind: ReadOnlyBind? = try ReadOnlyBind(path)
        _ = bind
        try cli.ok(Self.register("1"))
        let before = try Self.logBytes(cli.store)

        let result = try cli.run(["query", "users"])
        #expect(result.status == 77, "exited \(result.status): \(result.stderr)")
        #expect(result.stderr.contains(path) && result.stderr.contains("read-only") && result.stderr.contains("writable"),
                "\(result.stderr)")
        #expect(!result.stderr.contains("teamlog rebuild"), "\(result.stderr)")
        #expect(try Self.logBytes(cli.store) == before)

        bind = nil
        #expect(try cli.ok(["query", "users"]).stdout.contains("u-ro-1"))
    }

    /// The index's frame table is replaced by a rename, which a mount point refuses (EBUSY): an I/O error
    /// (74) naming the file and its errno, nothing appended, and the store goes on once it is unmounted.
    @Test func aFrameIndexThatCannotBeReplacedExits74NamingItAndAppendsNothing() throws {
        let cli = try CLI()
        try cli.ok(["demo", "--events", "200"])
        let path = cli.store + "/index/frames.idx"
        let before = try Self.logBytes(cli.store)
        var bind: ReadOnlyBind? = try ReadOnlyBind(path)
        _ = bind
        let result = try cli.run(Self.register("1"))
        #expect(result.status == 74, "exited \(result.status): \(result.stderr)")
        #expect(result.stderr.contains(path) && result.stderr.contains("errno"), "\(result.stderr)")
        #expect(try Self.logBytes(cli.store) == before, "the log changed")
        bind = nil
        try cli.ok(Self.register("2"))
        #expect(try cli.run(["verify", "--views"]).status == 0)
    }
}

/// A damaged derived file (not a SQLite database any more) is exit 65 with the advice that fits it:
/// rebuild the view, or delete the state directory.
@Suite struct DamagedDerivedFileCLITests {
    @Test func aDamagedViewExits65SayingToRebuildIt() throws {
        let cli = try CLI()
        try cli.ok(["demo", "--events", "200"])
        let path = cli.store + "/views/users.sqlite"
        try Data(repeating: 0x5A, count: 4096).write(to: URL(fileURLWithPath: path))
        let result = try cli.run(["query", "users"])
        #expect(result.status == 65, "exited \(result.status): \(result.stderr)")
        #expect(result.stderr.contains(path) && result.stderr.contains("damaged") && result.stderr.contains("teamlog rebuild users"),
                "\(result.stderr)")
        try cli.ok(["rebuild", "users"])
        try cli.ok(["query", "users"])
    }

    @Test func aDamagedDecisionStateExits65SayingToDeleteItAndAppendsNothing() throws {
        let cli = try CLI()
        try cli.ok(["demo", "--events", "200"])
        let path = cli.store + "/state/decisions.sqlite"
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        try Data(repeating: 0x5A, count: 4096).write(to: URL(fileURLWithPath: path))
        let before = try ReadOnlyFileCLITests.logBytes(cli.store)
        let result = try cli.run(ReadOnlyFileCLITests.register("d"))
        #expect(result.status == 65, "exited \(result.status): \(result.stderr)")
        #expect(result.stderr.contains(path) && result.stderr.contains("damaged") && result.stderr.contains("delete the state directory"),
                "\(result.stderr)")
        #expect(try ReadOnlyFileCLITests.logBytes(cli.store) == before)
        try FileManager.default.removeItem(atPath: cli.store + "/state")
        try cli.ok(ReadOnlyFileCLITests.register("d"))
    }
}
