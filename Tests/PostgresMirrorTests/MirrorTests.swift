import EventLog
import Foundation
import Marketplace
import PostgresMirror
import Projections
import Synchronization
import Testing
import Workload

/// A store with a generated marketplace history, mirrored into a temporary PostgreSQL cluster, with the
/// same views in SQLite beside it to compare with.
final class MirrorFixture {
    let cluster: PostgresCluster
    let directory: String
    let store: InMemoryEventStore
    let market: Marketplace
    let pool: PostgresPool
    let mirror: PostgresMirror
    private var generator: WorkloadGenerator

    init(seed: UInt64, targetEvents: Int = 9_000) throws {
        cluster = try PostgresCluster()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("teamlog-mirror-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // The clock advances one second per commit from a fixed start: the same commits get the same times.
        let tick = Mutex<Int64>(1_700_000_000_000_000)
        store = InMemoryEventStore(storeId: StoreID(bytes: Array(repeating: 9, count: 16)), clock: {
            tick.withLock { now in
                now += 1_000_000
                return now
            }
        })
        market = try Marketplace(store: store)
        generator = WorkloadGenerator(seed: seed, targetEvents: targetEvents)
        pool = try PostgresPool(endpoint: PostgresEndpoint(url: cluster.url))
        mirror = PostgresMirror(storeDirectory: directory + "/writer", log: store, pool: pool)
    }

    deinit {
        pool.close()
        cluster.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Runs `batches` more batches of the history (nil: all that is left).
    func run(_ batches: Int? = nil) throws {
        var done = 0
        while batches.map({ done < $0 }) ?? true, let batch = generator.nextBatch(maxCommands: 400) {
            _ = try market.executeBatch(batch)
            done += 1
        }
    }

    /// Expects every view in PostgreSQL at the log's head, with the fingerprint of the same view in SQLite,
    /// and the events table at the head too.
    func expectBothEnginesEqual(_ label: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let head = try store.head().position
        let status = try mirror.status()
        let runner = try ProjectionRunner(storeDirectory: directory + "/local")
        defer { runner.close() }
        try runner.catchUp(store)
        var local: [String: String] = [:]
        for view in try runner.status(store) { local[view.name] = view.fingerprint }
        #expect(status.eventsHead == head, "\(label)", sourceLocation: sourceLocation)
        #expect(status.views.count == ReadModels.all.count, sourceLocation: sourceLocation)
        for view in status.views {
            #expect(view.checkpoint == head, "\(label): \(view.name)", sourceLocation: sourceLocation)
            #expect(view.fingerprint != nil && view.fingerprint == local[view.name], "\(label): \(view.name)",
                    sourceLocation: sourceLocation)
        }
    }

    /// The one shadow directory of the mirror.
    func shadowDirectory() throws -> String {
        let shadows = try FileManager.default.contentsOfDirectory(atPath: directory + "/writer/postgres")
        #expect(shadows.count == 1)
        return directory + "/writer/postgres/" + (shadows.first ?? "")
    }
}

/// The read models projected into a real PostgreSQL (a temporary cluster) and into SQLite give the same
/// fingerprints, whatever happened to the mirror's own files in between.
@Suite(.enabled(if: PostgresCluster.isInstalled, "needs PostgreSQL 15 (Tools/test installs it)"), .serialized)
struct MirrorTests {
    /// Runs `body` on a thread of its own: the mirror blocks its caller, which must not be one of the few
    /// threads of Swift's cooperative pool that the tests (and the mirror's own tasks) run on.
    static func onThread(_ body: @escaping @Sendable () throws -> Void) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let thread = Thread {
                do {
                    try body()
                    continuation.resume()
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    @Test func theDemoHistoryGivesEqualFingerprintsInBothEngines() async throws {
        try await Self.onThread {
            let fixture = try MirrorFixture(seed: 5)
            try fixture.run(4)
            // First sync: every view copied whole.
            let first = try fixture.mirror.sync()
            let head = try fixture.store.head().position
            #expect(head > 0 && first.eventsCopied == head)
            #expect(Set(first.viewsCopied.keys) == Set(ReadModels.all.map(\.name)))
            try fixture.expectBothEnginesEqual("first sync")

            // The rest of the history: written batch by batch through the commit hook.
            try fixture.run()
            let second = try fixture.mirror.sync()
            let newHead = try fixture.store.head().position
            #expect(newHead > head && second.eventsCopied == newHead - head)
            #expect(second.viewsCopied.isEmpty && second.batches > 0)
            try fixture.expectBothEnginesEqual("incremental sync")

            // Nothing new: a sync writes nothing.
            let third = try fixture.mirror.sync()
            #expect(third.eventsCopied == 0 && third.batches == 0 && third.viewsCopied.isEmpty)
        }
    }

    /// A kill between PostgreSQL's commit and the shadow's leaves PostgreSQL ahead of the shadow; a lost
    /// shadow directory leaves none. Both are made on the files (an older copy of the shadow put back; the
    /// shadow deleted), and the next sync must neither apply an event twice nor skip one.
    @Test func aShadowBehindPostgresOrDeletedIsCaughtUpWithoutApplyingAnEventTwice() async throws {
        try await Self.onThread {
            let fixture = try MirrorFixture(seed: 8)
            try fixture.run(3)
            _ = try fixture.mirror.sync()
            let shadow = try fixture.shadowDirectory()
            let older = fixture.directory + "/older-shadow"
            try FileManager.default.copyItem(atPath: shadow, toPath: older)

            // PostgreSQL ahead: the shadow put back as it was one sync ago.
            try fixture.run(3)
            _ = try fixture.mirror.sync()
            try FileManager.default.removeItem(atPath: shadow)
            try FileManager.default.copyItem(atPath: older, toPath: shadow)
            try fixture.run(3)
            let behind = try fixture.mirror.sync()
            #expect(behind.viewsCopied.isEmpty, "a shadow behind PostgreSQL is caught up, not copied: \(behind.viewsCopied)")
            try fixture.expectBothEnginesEqual("shadow behind PostgreSQL")

            // The shadow deleted: every view is copied whole again.
            try FileManager.default.removeItem(atPath: shadow)
            try fixture.run(3)
            let deleted = try fixture.mirror.sync()
            #expect(Set(deleted.viewsCopied.keys) == Set(ReadModels.all.map(\.name)))
            try fixture.expectBothEnginesEqual("shadow deleted")
        }
    }

    /// PostgreSQL stopped at once (as a crash would) while a sync catches up, and started again a
    /// moment later: the sync waits, retries, and completes with every view equal to SQLite's.
    @Test func aSyncResumesAfterPostgresRestartsMidCatchUp() async throws {
        try await Self.onThread {
            let fixture = try MirrorFixture(seed: 11)
            try fixture.run(2)
            _ = try fixture.mirror.sync()
            try fixture.run()
            let retries = Mutex(0)
            let cluster = fixture.cluster
            let restarter = Thread {
                Thread.sleep(forTimeInterval: 0.2)
                try? cluster.kill()
                Thread.sleep(forTimeInterval: 1.0)
                try? cluster.start()
            }
            restarter.start()
            let report = try fixture.mirror.sync(retryFor: 60) { _, _ in retries.withLock { $0 += 1 } }
            while !restarter.isFinished { Thread.sleep(forTimeInterval: 0.05) }
            #expect(report.head == (try fixture.store.head().position))
            // Whether the kill landed during the catch-up or after it, the mirror ends equal.
            _ = try fixture.mirror.sync(retryFor: 60)
            try fixture.expectBothEnginesEqual("after the restart (\(retries.withLock { $0 }) retries)")
        }
    }

    @Test func aDatabaseOfAnotherStoreIsRefused() async throws {
        try await Self.onThread {
            let fixture = try MirrorFixture(seed: 3)
            _ = try fixture.mirror.sync()
            let other = InMemoryEventStore(storeId: StoreID(bytes: Array(repeating: 3, count: 16)))
            #expect {
                _ = try PostgresMirror(storeDirectory: fixture.directory + "/other", log: other, pool: fixture.pool).sync()
            } throws: { error in
                guard let error = error as? MirrorError, case .otherStore = error else { return false }
                return error.description.contains("give another database")
            }
        }
    }

    @Test func urlsAndTheEnvironmentGiveTheEndpoint() throws {
        let socket = try PostgresEndpoint(url: "postgres://ann:secret@/market?host=/run/pg&port=5433", environment: [:])
        #expect(socket.address == .unixSocket(path: "/run/pg/.s.PGSQL.5433"))
        #expect(socket.user == "ann" && socket.password == "secret" && socket.database == "market")
        #expect(!socket.description.contains("secret"))
        let tcp = try PostgresEndpoint(url: nil, environment: ["PGHOST": "db.internal", "PGUSER": "bob", "PGSSLMODE": "require"])
        #expect(tcp.address == .tcp(host: "db.internal", port: 5432) && tcp.database == "bob" && tcp.tls == .require)
        #expect(throws: MirrorError.self) { try PostgresEndpoint(url: "mysql://x@y/z", environment: [:]) }
        #expect(throws: MirrorError.self) { try PostgresEndpoint(url: "postgres://x@y/z?sslmode=sometimes", environment: [:]) }
    }
}
