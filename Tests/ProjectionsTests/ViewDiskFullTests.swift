import EventLog
import Foundation
import TeamlogTestSupport
import Marketplace
import Projections
import Testing
import Workload
import PosixFiles

/// On a real full disk (a small tmpfs), the runner fails with `ProjectionError.storage` (its cause a full disk) naming the
/// file it could not write, leaves no partial file, and goes on once there is room.
@Suite(.enabled(if: Tmpfs.canMount, "needs root to mount a tmpfs (mount -t tmpfs); skipped otherwise"))
struct ViewDiskFullTests {
    /// A generated marketplace history of about 6,000 events, in memory.
    static let history: InMemoryEventStore = {
        let store = makeStore()
        // A failure here fails every test of the suite, each saying so.
        if let market = try? Marketplace(store: store) {
            _ = try? WorkloadRunner.run(seed: 21, targetEvents: 6_000, into: market)
        }
        return store
    }()

    /// Expects `body` to fail with a full disk naming a file inside `directory`.
    func expectDiskFull(in directory: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("no error on a full disk", sourceLocation: sourceLocation)
        } catch let error as ProjectionError {
            guard case .storage(let path, let cause) = error, cause.isDiskFull else {
                Issue.record("not a full disk: \(error)", sourceLocation: sourceLocation)
                return
            }
            #expect(path.hasPrefix(directory), "\(path)", sourceLocation: sourceLocation)
            #expect(error.description.contains("the disk is full") && error.description.contains("Free some space"),
                    sourceLocation: sourceLocation)
        } catch {
            Issue.record("not a ProjectionError: \(error)", sourceLocation: sourceLocation)
        }
    }

    func strayFiles(_ views: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: views).filter {
            $0.hasSuffix(".rebuilding.sqlite") || $0.hasPrefix("verify-") || $0.hasSuffix("-journal")
        }
    }

    @Test(arguments: [(16, ProjectionRunnerOptions.MissingViews.rebuild), (200, .rebuild), (700, .rebuild),
                      (16, .createEmpty), (200, .createEmpty), (700, .createEmpty)])
    func catchingUpOnAFullDiskIsDiskFullAndGoesOnOnceThereIsRoom(freeKiB: Int, missing: ProjectionRunnerOptions.MissingViews) throws {
        // Given a store on an 8 MiB tmpfs with only `freeKiB` KiB left
        let log = Self.history
        #expect(try log.head().position > 5_000)
        let disk = try Tmpfs(kibibytes: 8 * 1024)
        let store = disk.path + "/store"
        let runner = try ProjectionRunner(storeDirectory: store, options: ProjectionRunnerOptions(batchSize: 500, missingViews: missing))
        try disk.fill(leaving: freeKiB)

        // When the views are built (in bulk files) or caught up (transaction by transaction, with journals)
        expectDiskFull(in: store) { try runner.catchUp(log) }

        // Then no partial file is left holding the space
        #expect(try strayFiles(store + "/views") == [])

        // And once there is room, the same store catches up and equals the log
        disk.removeFiller()
        try runner.catchUp(log)
        #expect(try runner.verifyViews(log).damaged.isEmpty)
        #expect(try runner.status(log).allSatisfy { $0.checkpoint == (try log.head().position) })
    }

    @Test func aReplayOnAFullDiskIsDiskFullAndLeavesNoPartialFile() throws {
        let log = Self.history
        let disk = try Tmpfs(kibibytes: 4 * 1024)
        let store = TemporaryDirectory()
        let runner = try ProjectionRunner(storeDirectory: store.path)
        try disk.fill(leaving: 300)
        let output = disk.path + "/as-of.sqlite"

        expectDiskFull(in: output) { try runner.replay(log, asOf: .position(5_000), output: output) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: disk.path) == ["filler"])

        disk.removeFiller()
        let report = try runner.replay(log, asOf: .position(5_000), output: output)
        #expect(report.position <= 5_000 && report.position > 4_900)
    }

    @Test func verifyingViewsOnAFullDiskIsDiskFullAndLeavesNothingBehind() throws {
        let log = Self.history
        let disk = try Tmpfs(kibibytes: 8 * 1024)
        let store = disk.path + "/store"
        let runner = try ProjectionRunner(storeDirectory: store)
        try runner.catchUp(log)
        try disk.fill(leaving: 64)

        expectDiskFull(in: store + "/views/verify-") { _ = try runner.verifyViews(log) }
        #expect(try strayFiles(store + "/views") == [])

        disk.removeFiller()
        #expect(try runner.verifyViews(log).damaged.isEmpty)
    }
}
