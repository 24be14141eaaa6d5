import EventLog
import Foundation
import GRDB
import Projections
import PosixFiles
import Synchronization
import Testing

@Suite struct RunnerTests {
    let testProjections: [any Projection] = [EnvelopeProjection(), TypeCountProjection()]

    func runner(_ dir: TemporaryDirectory, _ projections: [any Projection]? = nil,
                batchSize: Int = 20_000, parallel: Bool = true,
                missing: ProjectionRunnerOptions.MissingViews = .rebuild) throws -> ProjectionRunner {
        try ProjectionRunner(storeDirectory: dir.path, projections: projections ?? testProjections,
                             options: ProjectionRunnerOptions(batchSize: batchSize, parallel: parallel, missingViews: missing))
    }

    func fingerprints(_ runner: ProjectionRunner) throws -> [String: String] {
        var result: [String: String] = [:]
        for status in try runner.status() { result[status.name] = status.fingerprint }
        return result
    }

    /// A runner in `dir` caught up with `store`, and its views' fingerprints then.
    func caughtUpRunner(_ dir: TemporaryDirectory, _ store: InMemoryEventStore,
                        missing: ProjectionRunnerOptions.MissingViews = .rebuild) throws -> (runner: ProjectionRunner, fingerprints: [String: String]) {
        let runner = try runner(dir, missing: missing)
        try runner.catchUp(store)
        return (runner, try fingerprints(runner))
    }

    @Test func catchUpAppliesEveryEventOnceAndMovesTheCheckpoint() throws {
        // Given a log of 100 events
        let store = makeStore()
        try store.appendGeneric(100)
        let dir = TemporaryDirectory()
        let runner = try runner(dir, missing: .createEmpty)

        // When the views catch up
        let report = try runner.catchUp(store)

        // Then every event is in the view and the checkpoints are at the head
        #expect(report.checkpoints == ["envelopes": 100, "type_counts": 100])
        #expect(try runner.read(view: "envelopes") { try Int.fetchOne($0, sql: "SELECT count(*) FROM tp_events") } == 100)
        #expect(try runner.read(view: "type_counts") { try Int.fetchOne($0, sql: "SELECT sum(events) FROM tp_types") } == 100)

        // And catching up again reads nothing new; new events are applied once
        #expect(try runner.catchUp(store).eventsRead == 0)
        try store.appendGeneric(5, seed: 100)
        let again = try runner.catchUp(store)
        #expect(again.eventsRead == 5)
        #expect(try runner.read(view: "envelopes") { try Int.fetchOne($0, sql: "SELECT max(position) FROM tp_events") } == 105)
    }

    @Test func viewsAppliedInParallelAtTheirOwnPaceEqualViewsAppliedOneByOne() throws {
        // Given a log of 500 events, read in many small batches
        let store = makeStore()
        try store.appendGeneric(500)
        let progress = Mutex<[ProjectionProgress]>([])
        let parallelDir = TemporaryDirectory(), serialDir = TemporaryDirectory()
        let parallel = try ProjectionRunner(
            storeDirectory: parallelDir.path, projections: testProjections,
            options: ProjectionRunnerOptions(batchSize: 7, parallel: true, missingViews: .createEmpty,
                                             progress: { report in progress.withLock { $0.append(report) } }))
        let serial = try runner(serialDir, batchSize: 7, parallel: false, missing: .createEmpty)

        // When one runner applies the batches to each view on its own queue and the other one view after the other
        let report = try parallel.catchUp(store)
        try serial.catchUp(store)

        // Then both hold the same rows at the head, and progress only went forward, to the head
        #expect(report.eventsRead == 500)
        #expect(report.checkpoints == ["envelopes": 500, "type_counts": 500])
        #expect(try fingerprints(parallel) == (try fingerprints(serial)))
        let reports = progress.withLock { $0 }
        #expect(!reports.isEmpty)
        #expect(zip(reports, reports.dropFirst()).allSatisfy { $0.eventsApplied <= $1.eventsApplied && $0.position <= $1.position })
        #expect(reports.last?.eventsApplied == 500)
        #expect(reports.last?.position == 500)
    }

    @Test func incrementalCatchUpAndFullRebuildGiveIdenticalViews() throws {
        let store = makeStore()
        let incrementalDir = TemporaryDirectory()
        let incremental = try runner(incrementalDir, batchSize: 13, missing: .createEmpty)
        // Catch up in many small steps while the log grows
        for step in 0..<10 {
            try store.appendGeneric(37, seed: step * 37)
            try incremental.catchUp(store)
        }
        let rebuiltDir = TemporaryDirectory()
        let rebuilt = try runner(rebuiltDir)
        let report = try rebuilt.catchUp(store)
        #expect(report.rebuilt.map(\.view).sorted() == ["envelopes", "type_counts"])

        let a = try fingerprints(incremental)
        let b = try fingerprints(rebuilt)
        #expect(a.count == 2)
        #expect(a == b)
        // And the same query gives the same rows
        let sql = "SELECT stream, events, last_version FROM tp_streams ORDER BY stream"
        let rowsA = try incremental.read(view: "envelopes") { try Row.fetchAll($0, sql: sql) }
        let rowsB = try rebuilt.read(view: "envelopes") { try Row.fetchAll($0, sql: sql) }
        #expect(rowsA == rowsB)
        #expect(rowsA.count == 13)
    }

    @Test func rebuildReplacesTheLiveViewWithTheSameContent() throws {
        let store = makeStore()
        try store.appendGeneric(500)
        let dir = TemporaryDirectory()
        let (runner, before) = try caughtUpRunner(dir, store, missing: .createEmpty)

        let report = try runner.rebuild(store)
        #expect(report.eventsRead == 500)
        #expect(report.views.allSatisfy { $0.position == 500 && $0.reason == .requested })
        #expect(try fingerprints(runner) == before)
        #expect(!FileManager.default.fileExists(atPath: dir.file("views/envelopes.rebuilding.sqlite")))
    }

    @Test func asOfPositionReplayEqualsARebuildOfTheFirstEvents() throws {
        let store = makeStore()
        try store.appendGeneric(300)
        let liveDir = TemporaryDirectory()
        let (live, liveBefore) = try caughtUpRunner(liveDir, store)

        for p: UInt64 in [0, 1, 150, 299, 300] {
            let out = liveDir.file("asof-\(p).sqlite")
            let replay = try live.replay(store, asOf: .position(p), output: out)
            #expect(replay.position == p)

            let prefixDir = TemporaryDirectory()
            let prefix = try runner(prefixDir)
            try prefix.rebuild(PrefixStore(store, limit: p))
            #expect(replay.fingerprints == (try fingerprints(prefix)), "as of \(p)")
            let stored = try ProjectionRunner.checkpoints(inReplay: out)
            #expect(stored.map(\.position) == [p, p])
        }
        // The live views were not touched
        #expect(try fingerprints(live) == liveBefore)
    }

    @Test func asOfTimeReplayStopsAtTheLastEventRecordedByThen() throws {
        let store = makeStore()
        try store.appendGeneric(70, perCommit: 7)  // 10 commits, one second apart
        let events = try store.events().collect()
        let cut = events[34].recordedAtMicros  // the 5th commit: positions 29...35
        let dir = TemporaryDirectory()
        let runner = try runner(dir)
        let report = try runner.replay(store, asOf: .time(micros: cut), output: dir.file("t.sqlite"))
        #expect(report.position == 35)
        #expect(report.recordedAtMicros == cut)
        let prefixDir = TemporaryDirectory()
        let prefix = try self.runner(prefixDir)
        try prefix.rebuild(PrefixStore(store, limit: 35))
        #expect(report.fingerprints == (try fingerprints(prefix)))
    }

    @Test func replayRefusesToOverwriteOrToWriteAmongTheLiveViews() throws {
        let store = makeStore()
        try store.appendGeneric(10)
        let dir = TemporaryDirectory()
        let runner = try runner(dir)
        let out = dir.file("out.sqlite")
        try runner.replay(store, asOf: .position(5), output: out)
        #expect(throws: ProjectionError.self) { try runner.replay(store, asOf: .position(5), output: out) }
        let replaced = try runner.replay(store, asOf: .position(7), output: out, overwrite: true)
        #expect(replaced.position == 7)
        #expect(throws: ProjectionError.self) {
            try runner.replay(store, asOf: .position(5), output: dir.file("views/x.sqlite"))
        }
    }

    @Test func aSchemaVersionBumpTriggersExactlyOneRebuild() throws {
        let store = makeStore()
        try store.appendGeneric(50)
        let dir = TemporaryDirectory()
        let v1 = try runner(dir)
        #expect(try v1.catchUp(store).rebuilt.map(\.reason) == [.missing, .missing])
        v1.close()

        var bumped = EnvelopeProjection()
        bumped.schemaVersion = 2
        let projections: [any Projection] = [bumped, TypeCountProjection()]

        // Opening with the new version notes one view to rebuild; the old file still answers meanwhile
        let v2 = try runner(dir, projections)
        #expect(v2.pendingRebuilds == ["envelopes": .schemaVersionChanged])
        #expect(try v2.read(view: "envelopes") { try Int.fetchOne($0, sql: "SELECT count(*) FROM tp_events") } == 50)
        let statusBefore = try v2.status(store, fingerprints: false)
        #expect(statusBefore.first?.storedSchemaVersion == 1)
        #expect(statusBefore.first?.needsRebuild == true)

        try store.appendGeneric(5, seed: 50)
        let first = try v2.catchUp(store)
        #expect(first.rebuilt.map(\.view) == ["envelopes"])
        #expect(first.rebuilt.first?.fromSchemaVersion == 1)
        #expect(first.rebuilt.first?.toSchemaVersion == 2)
        #expect(first.checkpoints == ["envelopes": 55, "type_counts": 55])
        #expect(try v2.catchUp(store).rebuilt.isEmpty)
        v2.close()

        // Reopening with the same version rebuilds nothing
        let again = try runner(dir, projections)
        #expect(again.pendingRebuilds.isEmpty)
        #expect(try again.catchUp(store).rebuilt.isEmpty)
        #expect(try again.status(store).first?.storedSchemaVersion == 2)
    }

    @Test func anInterruptedRebuildLeavesTheOldViewServingAndCanRunAgain() throws {
        let store = makeStore()
        try store.appendGeneric(120)
        let dir = TemporaryDirectory()
        let (runner, before) = try caughtUpRunner(dir, store)
        // A rebuild that died half-way left a partial file (here: garbage) and its lock file
        let partial = dir.file("views/envelopes.rebuilding.sqlite")
        try Data("not a database".utf8).write(to: URL(fileURLWithPath: partial))
        FileManager.default.createFile(atPath: dir.file("views/envelopes.rebuild.lock"), contents: nil)

        #expect(try runner.read(view: "envelopes") { try Int.fetchOne($0, sql: "SELECT count(*) FROM tp_events") } == 120)
        let report = try runner.rebuild(store, views: ["envelopes"])
        #expect(report.views.map(\.view) == ["envelopes"])
        #expect(try fingerprints(runner) == before)
        #expect(!FileManager.default.fileExists(atPath: partial))
    }

    @Test func twoRunnersOnTheSameViewsNeverApplyAnEventTwice() throws {
        let store = makeStore()
        let dir = TemporaryDirectory()
        let a = try runner(dir, batchSize: 10, missing: .createEmpty)
        let b = try runner(dir, batchSize: 7, missing: .createEmpty)
        for step in 0..<6 {
            try store.appendGeneric(25, seed: step * 25)
            try (step.isMultiple(of: 2) ? a : b).catchUp(store)
            try (step.isMultiple(of: 3) ? b : a).catchUp(store)
        }
        // tp_events has the position as primary key: a second application would have failed
        #expect(try a.read(view: "envelopes") { try Int.fetchOne($0, sql: "SELECT count(*) FROM tp_events") } == 150)
        let cleanDir = TemporaryDirectory()
        let clean = try runner(cleanDir)
        try clean.catchUp(store)
        #expect(try fingerprints(a) == (try fingerprints(clean)))
    }

    /// A projector whose SQL fails because of the file (damaged, full, read-only) blames the view's file
    /// with the typed cause, not the event; a failing statement (a constraint) names the event.
    @Test(arguments: [(ResultCode.SQLITE_CORRUPT, true), (.SQLITE_NOTADB, true), (.SQLITE_IOERR, true), (.SQLITE_CONSTRAINT, false)])
    func aFileFailureInAProjectorNamesTheFileNotTheEvent(code: ResultCode, isFileFailure: Bool) throws {
        let store = makeStore()
        try store.appendGeneric(5)
        let dir = TemporaryDirectory()
        let runner = try runner(dir, [FailingProjection(failAt: 3, sqliteCode: code)], missing: .createEmpty)
        do {
            try runner.catchUp(store)
            Issue.record("the projector's failure was not reported")
        } catch {
            switch error {
            case let .database(view, path, cause):
                #expect(isFileFailure, "\(error)")
                #expect(view == "failing" && path.hasSuffix("failing.sqlite"))
                #expect(cause.code == .sqlite(primary: code.rawValue, extended: code.rawValue))
            case let .apply(view, position, _, _):
                #expect(!isFileFailure, "\(error)")
                #expect(view == "failing" && position == 3)
            default:
                Issue.record("unexpected error: \(error)")
            }
        }
    }

    @Test func aFailingProjectorStopsAtItsLastCheckpointAndNamesTheEvent() throws {
        let store = makeStore()
        try store.appendGeneric(30)
        let dir = TemporaryDirectory()
        // Batches of a few events (chunks of about 256 bytes): the ones before the failing event's commit it.
        let runner = try runner(dir, [FailingProjection(failAt: 17), TypeCountProjection()], batchSize: 1, missing: .createEmpty)
        #expect {
            try runner.catchUp(store)
        } throws: { error in
            guard case .apply(let view, let position, _, _) = error as? ProjectionError else { return false }
            return view == "failing" && position == 17
        }
        let failing = try #require(try runner.status(store).first { $0.name == "failing" })
        // It stops at the end of the last batch before event 17: some progress kept, nothing after it.
        #expect(failing.checkpoint > 0 && failing.checkpoint < 17, "checkpoint \(failing.checkpoint)")
        #expect(failing.rowCounts == ["tp_seen": Int(failing.checkpoint)])
        #expect(failing.lag == 30 - failing.checkpoint)
    }

    @Test func statusShowsCheckpointsFingerprintsAndRowCounts() throws {
        let store = makeStore()
        try store.appendGeneric(40, streams: 4)
        let dir = TemporaryDirectory()
        let runner = try runner(dir)
        try runner.catchUp(store)
        try store.appendGeneric(2, seed: 40)
        let statuses = try runner.status(store)
        let envelopes = try #require(statuses.first { $0.name == "envelopes" })
        #expect(envelopes.checkpoint == 40)
        #expect(envelopes.lag == 2)
        #expect(envelopes.rowCounts == ["tp_events": 40, "tp_streams": 4])
        #expect(envelopes.fingerprint?.count == 64)
        #expect(envelopes.path.hasSuffix("views/envelopes.sqlite"))
        // A different content gives a different fingerprint
        try runner.catchUp(store)
        #expect(try runner.status().first { $0.name == "envelopes" }?.fingerprint != envelopes.fingerprint)
    }

    @Test func unknownViewsAndDuplicateNamesAreRejected() throws {
        let dir = TemporaryDirectory()
        let runner = try runner(dir)
        #expect(throws: ProjectionError.unknownView("nope", known: ["envelopes", "type_counts"])) {
            try runner.catchUp(makeStore(), views: ["nope"])
        }
        #expect(throws: ProjectionError.duplicateName("envelopes")) {
            try ProjectionRunner(storeDirectory: dir.path, projections: [EnvelopeProjection(), EnvelopeProjection()])
        }
    }
}

/// Two runners on one store directory, as two processes are: one rebuilds a view (renaming a new file
/// over the live one) while the other has it open.
@Suite struct SwappedViewTests {
    @Test func aRunnerWhoseViewWasRebuiltUnderItReadsAndCatchesUpTheNewFile() throws {
        // Given a runner that has the views open and caught up
        let store = makeStore()
        try store.appendGeneric(100)
        let dir = TemporaryDirectory()
        let options = ProjectionRunnerOptions(missingViews: .createEmpty)
        let projections: [any Projection] = [EnvelopeProjection(), TypeCountProjection()]
        let reader = try ProjectionRunner(storeDirectory: dir.path, projections: projections, options: options)
        try reader.catchUp(store)

        // When another runner rebuilds the envelopes view (a new file renamed over the live one) and events follow
        let rebuilder = try ProjectionRunner(storeDirectory: dir.path, projections: projections, options: options)
        try rebuilder.rebuild(store, views: ["envelopes"])
        rebuilder.close()
        try store.appendGeneric(5, seed: 100)

        // Then the first runner catches up the new file (not the one it had open) and reads it
        let report = try reader.catchUp(store)
        #expect(report.checkpoints["envelopes"] == 105)
        #expect(try reader.read(view: "envelopes") { try Int.fetchOne($0, sql: "SELECT count(*) FROM tp_events") } == 105)
        let fresh = try ProjectionRunner(storeDirectory: dir.path, projections: projections, options: options)
        #expect(try fresh.read(view: "envelopes") { try Int.fetchOne($0, sql: "SELECT count(*) FROM tp_events") } == 105)
    }
}
