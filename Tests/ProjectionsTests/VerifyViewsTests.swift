import EventLog
import Foundation
import GRDB
import Projections
import Testing
import Events

/// `verifyViews` proves each view equals the log at its checkpoint; a view ahead of the log is
/// neither caught up nor served.
@Suite struct VerifyViewsTests {
    /// The marketplace history in an in-memory log, and every read model caught up with it.
    struct Fixture {
        let store = makeStore()
        let dir = TemporaryDirectory()
        let runner: ProjectionRunner

        init() throws {
            try MarketplaceHistory.build(store)
            runner = try ProjectionRunner(storeDirectory: dir.path)
            try runner.catchUp(store)
        }

        var viewsDirectory: String { dir.path + "/views" }

        /// Runs SQL on a live view with the stock `sqlite3` tool, as a user editing the file would;
        /// returns what it printed.
        @discardableResult
        func sqlite3(_ view: String, _ sql: String) throws -> String {
            runner.close()
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
            process.arguments = [runner.path(ofView: view), sql]
            let output = Pipe(), errors = Pipe()
            process.standardOutput = output
            process.standardError = errors
            try process.run()
            let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(process.terminationStatus == 0, "sqlite3 \(view) \(sql): \(message)")
            return printed.trimmingCharacters(in: .whitespacesAndNewlines)
        }

        func verdicts(_ report: ViewsVerificationReport) -> [String: ViewVerification.Verdict] {
            Dictionary(uniqueKeysWithValues: report.views.map { ($0.view, $0.verdict) })
        }

        /// No temporary directory is left in `views/`.
        func leftovers() throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: viewsDirectory).filter { $0.hasPrefix("verify-") }
        }
    }

    @Test func untouchedViewsEqualTheLogAndNothingIsLeftBehind() throws {
        // Given views caught up with the log
        let fixture = try Fixture()
        let head = try fixture.store.head().position

        // When they are verified
        let report = try fixture.runner.verifyViews(fixture.store)

        // Then every view matches at the head, with the fingerprint status computes, and no temporary file is left
        #expect(report.logHead == head)
        #expect(report.views.map(\.view) == fixture.runner.viewNames)
        #expect(report.views.allSatisfy { $0.verdict == .matches && $0.checkpoint == head && $0.differences.isEmpty })
        #expect(report.damaged.isEmpty)
        #expect(report.eventsRead == head)
        let statuses = try fixture.runner.status(fixture.store)
        for status in statuses {
            let verified = report.views.first { $0.view == status.name }
            #expect(verified?.viewFingerprint == status.fingerprint)
            #expect(verified?.logFingerprint == status.fingerprint)
        }
        #expect(try fixture.leftovers() == [])
    }

    @Test func viewsAtDifferentCheckpointsAreEachComparedAtTheirOwn() throws {
        // Given users caught up with the whole log, and the others only with its first 20 events
        let store = makeStore()
        try MarketplaceHistory.build(store)
        let dir = TemporaryDirectory()
        let runner = try ProjectionRunner(storeDirectory: dir.path, options: ProjectionRunnerOptions(missingViews: .createEmpty))
        let others = runner.viewNames.filter { $0 != "users" }
        try runner.catchUp(PrefixStore(store, limit: 20), views: others)
        try runner.catchUp(store, views: ["users"])

        // When they are verified against the whole log
        let report = try runner.verifyViews(store)

        // Then each matches at its own checkpoint
        let head = try store.head().position
        #expect(report.views.allSatisfy { $0.verdict == .matches })
        #expect(report.views.first { $0.view == "users" }?.checkpoint == head)
        #expect(report.views.filter { $0.view != "users" }.allSatisfy { $0.checkpoint <= 20 && $0.checkpoint > 0 })
    }

    /// A row changed, deleted or inserted with `sqlite3`, in several views.
    static let edits: [(view: String, sql: String)] = [
        ("users", "UPDATE users SET name = 'x' WHERE user_id = 'p1'"),
        ("jobs", "DELETE FROM job_postings WHERE job_id = 'j1'"),
        ("team_roster", "INSERT INTO team_teams (team_id, name, created_by, created_at_micros) VALUES ('t-fake', 'Fake', 'b1', 0)"),
        ("invitations", "UPDATE invitations SET status = 'revoked' WHERE invitation_id = 'inv1'"),
        ("assignments", "DELETE FROM assignment_parties WHERE assignment_id = 'a1' AND party = 'buyer'"),
        ("inbox", "INSERT INTO inbox_participants (thread_id, user_id) VALUES ('th-fake', 'p1')"),
    ]

    @Test(arguments: edits)
    func aRowChangedDeletedOrInsertedWithSqlite3IsNamed(view: String, sql: String) throws {
        // Given views caught up, then one edited outside Teamlog
        let fixture = try Fixture()
        #expect(try fixture.sqlite3(view, sql + "; SELECT changes();") == "1")

        // When they are verified
        let report = try fixture.runner.verifyViews(fixture.store)

        // Then that view, and only it, differs in its rows (which the fingerprint its rebuild stored no
        // longer describes), with both fingerprints
        #expect(report.damaged.map(\.view) == [view])
        let edited = try #require(report.views.first { $0.view == view })
        #expect(edited.verdict == .differs)
        #expect(edited.differences == [.rows, .storedFingerprint])
        #expect(edited.storedFingerprint == edited.logFingerprint)
        #expect(edited.viewFingerprint != nil && edited.logFingerprint != nil && edited.viewFingerprint != edited.logFingerprint)
        #expect(try fixture.leftovers() == [])

        // And a rebuild of that view makes it equal to the log again
        try fixture.runner.rebuild(fixture.store, views: [view])
        #expect(try fixture.runner.verifyViews(fixture.store).damaged.isEmpty)
    }

    /// Edits of a view's checkpoint row, and what each is reported as.
    static let checkpointEdits: [(sql: String, expected: ViewVerification.Difference)] = [
        ("UPDATE projection_checkpoint SET recorded_at_micros = recorded_at_micros + 1", .checkpointTime),
        // Two single-event commits earlier: the rows then show events past the checkpoint.
        ("UPDATE projection_checkpoint SET position = position - 2", .checkpointTime),
        ("UPDATE projection_checkpoint SET fingerprint = 'f00d', fingerprint_position = position", .storedFingerprint),
        ("DELETE FROM projection_checkpoint", .checkpointMissing),
    ]

    @Test(arguments: checkpointEdits)
    func anEditedCheckpointRowIsCaught(sql: String, expected: ViewVerification.Difference) throws {
        // Given views caught up, then the users view's checkpoint row edited with sqlite3
        let fixture = try Fixture()
        try fixture.sqlite3("users", sql)

        // When they are verified
        let report = try fixture.runner.verifyViews(fixture.store)

        // Then the users view differs in that way
        #expect(report.damaged.map(\.view) == ["users"])
        let users = try #require(report.views.first { $0.view == "users" })
        #expect(users.verdict == .differs)
        #expect(users.differences.contains(expected), "\(users.differences)")
    }

    @Test func aCheckpointMovedInsideACommitIsCaughtEvenWhenTheRowsAgree() throws {
        // Given views caught up with a log whose last commit registers an account (two events, one
        // instant), then the users view's checkpoint moved back by one: inside that commit, where the
        // rows and the time still agree (the address claim is not a users row)
        let fixture = try Fixture()
        try MarketplaceHistory.register(fixture.store, "late", .buyer)
        try fixture.runner.catchUp(fixture.store)
        try fixture.sqlite3("users", "UPDATE projection_checkpoint SET position = position - 1")

        // Then verification says the checkpoint is inside a commit, and nothing else
        let users = try #require(try fixture.runner.verifyViews(fixture.store).views.first { $0.view == "users" })
        #expect(users.verdict == .differs)
        #expect(users.differences == [.checkpointInsideCommit])
    }

    @Test func aViewAheadOfTheLogIsReportedAndNotServed() throws {
        // Given views caught up with a log that then lost its last three events
        let fixture = try Fixture()
        let head = try fixture.store.head().position
        let shorter = PrefixStore(fixture.store, limit: head - 3)

        // Then status says how far ahead each view is
        let statuses = try fixture.runner.status(shorter)
        #expect(statuses.allSatisfy { $0.aheadOfLog == 3 && $0.lag == 0 })

        // And verification reports every view ahead of the log
        let report = try fixture.runner.verifyViews(shorter)
        #expect(report.views.allSatisfy { $0.verdict == .aheadOfLog && $0.checkpoint == head })
        #expect(report.damaged.count == fixture.runner.viewNames.count)

        // And a catch-up (what every query does first) refuses, naming the view, its checkpoint and the head
        #expect(throws: ProjectionError.viewAheadOfLog(view: "users", checkpoint: head, head: head - 3)) {
            try fixture.runner.catchUp(shorter, views: ["users"])
        }
        do {
            try fixture.runner.catchUp(shorter)
            Issue.record("catch-up served views ahead of the log")
        } catch {
            #expect(error.description.contains("teamlog verify"))
            #expect(error.description.contains("\(head)") && error.description.contains("\(head - 3)"))
        }
        let queries = ReadModelQueries(runner: fixture.runner, store: shorter)
        #expect(throws: ProjectionError.self) { try queries.sql("SELECT count(*) FROM users") }
    }

    @Test func theTemporaryFilesAreRemovedEvenWhenTheLogFailsAndLeftOversOfDeadProcessesToo() throws {
        // Given views caught up, and the directory a killed verification left (its process is gone)
        let fixture = try Fixture()
        let finished = Process()
        finished.executableURL = URL(fileURLWithPath: "/bin/true")
        try finished.run()
        finished.waitUntilExit()
        let abandoned = fixture.viewsDirectory + "/verify-\(finished.processIdentifier).tmp"
        try FileManager.default.createDirectory(atPath: abandoned, withIntermediateDirectories: false)
        _ = FileManager.default.createFile(atPath: abandoned + "/users.sqlite", contents: Data([1, 2, 3]))

        // When a verification fails while reading the log
        #expect(throws: ProjectionError.self) { try fixture.runner.verifyViews(FailingReads(fixture.store)) }

        // Then neither its own directory nor the abandoned one is left
        #expect(try fixture.leftovers() == [])
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.viewsDirectory).allSatisfy {
            $0.hasSuffix(".sqlite") || $0.hasSuffix(".rebuild.lock")
        })
    }
}

/// A log whose reads fail (its head and versions still answer).
final class FailingReads: EventStoreReader {
    let base: any EventStoreReader
    var storeId: StoreID { base.storeId }

    init(_ base: any EventStoreReader) { self.base = base }

    func head() throws(EventLogError) -> LogHead { try base.head() }
    func streamVersion(_ stream: String) throws(EventLogError) -> UInt64 { try base.streamVersion(stream) }
    func events(from position: UInt64, filter: EventFilter) throws(EventLogError) -> any EventCursor {
        throw .io(operation: "read", path: "failing", errno: EIO)
    }
    func readChunks(from position: UInt64, filter: EventFilter) throws(EventLogError) -> EventChunkReader {
        throw .io(operation: "read", path: "failing", errno: EIO)
    }
}
