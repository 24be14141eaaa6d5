import Foundation
import Projections
import Testing

/// Processes killed (SIGKILL) at random instants while catching up or rebuilding the views of a
/// store: afterwards each view equals a clean projection of the log up to its checkpoint, and the
/// work, run again, finishes correctly.
@Suite(.serialized) struct CrashTests {
    let events = "12000"
    let dir = TemporaryDirectory()
    var store: String { dir.file("store") }

    /// Given a file-backed log holding the reference workload (written by the marketplace's commands)
    init() throws {
        let (status, lines) = try TestKitChild.run(["make-log", "--store", dir.file("store"), "--events", events],
                                                    outputPath: dir.file("make-log.out"))
        guard status == 0, lines.last?.hasPrefix("done") == true else { throw TestKitChild.Failed(lines: lines) }
    }

    /// Every view verified against a clean projection; returns the checkpoints.
    func verifyViews(_ label: String) throws -> [String: UInt64] {
        let (status, lines) = try TestKitChild.run(["verify", "--store", store, "--events", events],
                                                    outputPath: dir.file("verify-\(label).out"))
        #expect(status == 0, "verify after \(label)")
        #expect(!lines.contains { $0.hasPrefix("MISMATCH") }, "after \(label): \(lines)")
        var checkpoints: [String: UInt64] = [:]
        for line in lines where line.hasPrefix("verified ") {
            let parts = line.split(separator: " ")
            checkpoints[String(parts[1])] = UInt64(parts[2])
        }
        return checkpoints
    }

    /// Kills `child` after a random number (0 to `most`) of the steps it reports (lines starting with
    /// `step`, printed once each batch is committed), at a random instant of the next one.
    func kill(_ child: TestKitChild, afterUpTo most: Int, _ step: String, using generator: inout some RandomNumberGenerator) {
        _ = child.waitFor(step, count: Int.random(in: 0...most, using: &generator))
        usleep(UInt32.random(in: 0...50_000, using: &generator))
        child.kill()
    }

    /// Four rounds of `work` (`catch-up`, `rebuild`) in batches of `batch` events, each killed after a
    /// random number of `step` lines (at most `early` in even rounds, `late` in odd ones) and then
    /// checked by `check` (given the round); returns how many kills landed before the work was done.
    func killRounds(_ work: String, batch: Int, step: String, early: Int, late: Int,
                    check: (Int) throws -> Void) throws -> Int {
        var generator = SystemRandomNumberGenerator()
        var killedMidway = 0
        for round in 0..<4 {
            let child = try TestKitChild([work, "--store", store, "--events", events, "--batch", "\(batch)"],
                                         outputPath: dir.file("\(work)-\(round).out"))
            #expect(child.waitFor("ready"))
            kill(child, afterUpTo: round.isMultiple(of: 2) ? early : late, step, using: &generator)
            if !child.lines.contains(where: { $0.hasPrefix("done") }) { killedMidway += 1 }
            try check(round)
        }
        return killedMidway
    }

    func headPosition(_ lines: [String]) -> UInt64? {
        lines.first { $0.hasPrefix("ready ") }.flatMap { UInt64($0.dropFirst(6)) }
    }

    @Test func killedDuringCatchUpTheViewsEqualTheLogUpToTheirCheckpoints() throws {
        var previous: [String: UInt64] = [:]
        // Even rounds kill early, odd rounds anywhere (80 committed batches make the whole catch-up).
        let killedMidway = try killRounds("catch-up", batch: 150, step: "checkpoint", early: 5, late: 40) { round in
            let checkpoints = try verifyViews("kill \(round)")
            for (view, position) in checkpoints {
                #expect(position >= previous[view] ?? 0, "checkpoints never go back")
            }
            previous = checkpoints
        }
        #expect(killedMidway > 0, "at least one kill landed before the catch-up finished")

        // Run again to the end: every view reaches the head and equals the clean projection
        let (status, lines) = try TestKitChild.run(["catch-up", "--store", store, "--events", events],
                                                    outputPath: dir.file("catch-up-final.out"))
        #expect(status == 0)
        let head = try #require(headPosition(lines))
        let final = try verifyViews("final")
        #expect(final.count == ReadModels.all.count)
        #expect(final.values.allSatisfy { $0 == head })
    }

    @Test func killedDuringRebuildTheOldViewsKeepServingAndTheRebuildFinishesWhenRunAgain() throws {
        // Given views caught up with the log
        let (status, lines) = try TestKitChild.run(["catch-up", "--store", store, "--events", events],
                                                    outputPath: dir.file("initial.out"))
        #expect(status == 0)
        let head = try #require(headPosition(lines))
        let before = try fingerprints()

        let killedMidway = try killRounds("rebuild", batch: 500, step: "position", early: 3, late: 15) { round in
            // The live views (old or swapped-in new) equal the log up to their checkpoint, the head
            let checkpoints = try verifyViews("rebuild kill \(round)")
            #expect(checkpoints.count == ReadModels.all.count)
            #expect(checkpoints.values.allSatisfy { $0 == head })
        }
        #expect(killedMidway > 0, "at least one kill landed before the rebuild finished")

        let final = try TestKitChild.run(["rebuild", "--store", store, "--events", events],
                                         outputPath: dir.file("rebuild-final.out"))
        #expect(final.status == 0)
        #expect(try verifyViews("final rebuild").values.allSatisfy { $0 == head })
        #expect(try fingerprints() == before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.file("store/views"))
            .filter { $0.contains(".rebuilding.") }
        #expect(leftovers.isEmpty)
    }

    private func fingerprints() throws -> [String: String] {
        var result: [String: String] = [:]
        for projection in ReadModels.all {
            let path = dir.file("store/views/\(projection.name).sqlite")
            if let (_, fingerprint) = try ProjectionRunner.fingerprint(ofFile: path, projection: projection) {
                result[projection.name] = fingerprint
            }
        }
        return result
    }
}
