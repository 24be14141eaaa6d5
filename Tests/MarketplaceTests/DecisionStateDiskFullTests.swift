import EventLog
import Foundation
import TeamlogTestSupport
import Marketplace
import Testing
import Workload
import PosixFiles

/// On a real full disk (a small tmpfs), the SQLite decision state fails with
/// `MarketplaceError.stateFile` whose cause is a full disk, naming its file (not advice to delete it), and the same
/// file goes on once there is room.
@Suite(.enabled(if: Tmpfs.canMount, "needs root to mount a tmpfs (mount -t tmpfs); skipped otherwise"))
struct DecisionStateDiskFullTests {
    @Test(arguments: [4, 64, 256, 768])
    func aFullDiskIsDiskFullNamingTheStateFileAndTheStateGoesOnOnceThereIsRoom(freeKiB: Int) throws {
        // Given a marketplace whose decision state lives on a 12 MiB tmpfs with only `freeKiB` KiB left (room
        // enough, once the filler is gone, for the whole history's state and its rollback journal)
        let disk = try Tmpfs(kibibytes: 12 * 1024)
        let path = disk.path + "/state/decisions.sqlite"
        let log = InMemoryEventStore()
        let options = Marketplace.Options(checkpointEveryEvents: 300)
        var commands: [CommandEnvelope] = []
        var generator = WorkloadGenerator(seed: 17, targetEvents: 20_000)
        var failure: (any Error)?
        try disk.fill(leaving: freeKiB)

        // When commands run until the state cannot be written (opening it may already fail)
        do {
            let market = try Marketplace(store: log, stateStore: try SQLiteDecisionStateStore(path: path), options: options)
            while let batch = generator.nextBatch(maxCommands: 200) {
                _ = try market.executeBatch(batch)
                commands += batch
            }
            try market.checkpoint()
        } catch {
            failure = error
        }

        // Then it fails with a full disk that names the state file and says to free space
        let error = try #require(failure as? MarketplaceError, "\(String(describing: failure))")
        guard case .stateFile(let named, let cause) = error, cause.isDiskFull else {
            Issue.record("not a full disk: \(error)")
            return
        }
        #expect(named == path)
        #expect(error.description.contains("the disk is full") && error.description.contains("Free some space"))
        #expect(!error.description.contains("delete"))

        // And once there is room, the same state file opens, catches up with the log and decides as a fresh state does
        disk.removeFiller()
        let reopened = try Marketplace(store: log, stateStore: try SQLiteDecisionStateStore(path: path), options: options)
        while let batch = generator.nextBatch(maxCommands: 200) {
            _ = try reopened.executeBatch(batch)
            commands += batch
        }
        try reopened.checkpoint()
        DecisionStateTests.expectSameDecisions(reopened, try Marketplace(store: log), DecisionStateTests.probes(commands))
    }
}
