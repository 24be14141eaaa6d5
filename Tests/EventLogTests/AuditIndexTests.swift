import Foundation
import Testing
@testable import EventLog

/// The audit index (index/audit/): its answers are a full scan's, it follows appends, and whatever happens
/// to its files (deleted, truncated, flipped, swapped, left half-written) it is detected and rebuilt.
@Suite struct AuditIndexTests {
    /// Small frames, so that a few thousand events span many frames (and several runs).
    static let options = EventLogOptions(durability: .osBuffered, frameTargetBytes: 2_048)

    static let streams = ["team-a", "team-b", "job-1", "job-2", "thread-x", "thread-y", "user-1", "caf\u{E9}", "cafe\u{301}", "solo"]
    static let actors = ["u-1", "u-2", "u-3", "operator", "system"]

    /// Appends `commits` random commits (1–4 events each), from writers opened and closed now and then.
    static func fill(_ store: String, commits: Int, seed: UInt64) throws {
        var random = SegmentFuzzTests.SplitMix(state: seed)
        var written = 0
        while written < commits {
            let log = try EventLog.open(directory: store, options: options)
            for _ in 0..<min(commits - written, 50 + Int(random.next() % 200)) {
                let events = (0..<(1 + Int(random.next() % 4))).map { i in
                    event(streams[Int(random.next() % UInt64(streams.count))], i == 0 ? "Started" : "Noted", "\(random.next())")
                }
                _ = try log.append(commit(events, actor: actors[Int(random.next() % UInt64(actors.count))]))
                written += 1
            }
            log.close()
        }
    }

    /// Random filters naming streams and/or actors, with positions and types now and then.
    static func filters(seed: UInt64, count: Int) -> [(from: UInt64, filter: EventFilter)] {
        var random = SegmentFuzzTests.SplitMix(state: seed)
        func some(_ names: [String]) -> Set<String> {
            Set((0..<(1 + Int(random.next() % 2))).map { _ in names[Int(random.next() % UInt64(names.count))] })
        }
        return (0..<count).map { _ in
            var filter = EventFilter()
            switch random.next() % 3 {
            case 0: filter.streams = some(streams)
            case 1: filter.actors = some(actors)
            default:
                filter.streams = some(streams)
                filter.actors = some(actors)
            }
            if random.next() % 4 == 0 { filter.types = ["Noted"] }
            if random.next() % 4 == 0 { filter.untilPosition = 1 + random.next() % 3_000 }
            return (random.next() % 3 == 0 ? 1 + random.next() % 2_000 : 1, filter)
        }
    }

    /// Expects every filter's indexed read (and its last events) to equal a scan of the whole log.
    static func expectIndexedEqualsScan(_ log: EventLog, seed: UInt64, sourceLocation: SourceLocation = #_sourceLocation) throws {
        for (from, filter) in filters(seed: seed, count: 40) {
            let scanned = try log.read(from: from, filter: filter).collect()
            let indexed = try log.events(from: from, filter: filter).collect()
            #expect(indexed == scanned, "from \(from), \(filter)", sourceLocation: sourceLocation)
            for last in [1, 3, 20] {
                #expect(try log.lastEvents(last, from: from, filter: filter) == Array(scanned.suffix(last)),
                        "last \(last) from \(from), \(filter)", sourceLocation: sourceLocation)
            }
        }
    }

    static func runFiles(_ store: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: store + "/index/audit")) ?? []).filter { $0.hasSuffix(".run") }.sorted()
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func indexAnswersEqualAFullScan(seed: UInt64) throws {
        let directory = TemporaryDirectory()
        try Self.fill(directory.store, commits: 1_500, seed: seed)
        let log = try EventLog.open(directory: directory.store, options: .readOnly)
        try Self.expectIndexedEqualsScan(log, seed: seed)
        let status = log.auditIndexStatus()
        #expect(status.coveredPosition > 0, "the reads built the index")
        #expect(status.problems.isEmpty, "\(status.problems)")
        // The same answers from a writer, whose frame index is its own.
        let writer = try EventLog.open(directory: directory.store, options: Self.options)
        try Self.expectIndexedEqualsScan(writer, seed: seed &+ 100)
        writer.close()
    }

    @Test func theIndexExtendsAfterAppendsAndStaysLogarithmic() throws {
        let directory = TemporaryDirectory()
        try Self.fill(directory.store, commits: 300, seed: 7)
        let reader = try EventLog.open(directory: directory.store, options: .readOnly)
        let before = reader.auditIndexStatus()
        #expect(before.coveredPosition > 0)
        for round in 0..<6 {
            try Self.fill(directory.store, commits: 300, seed: 8 + UInt64(round))
            let extended = reader.auditIndexStatus()
            #expect(extended.coveredPosition > before.coveredPosition, "round \(round): \(extended.coveredPosition)")
            #expect(extended.runs.count <= 2 + Int(log2(Double(extended.coveredPosition))), "\(extended.runs)")
            #expect(Self.runFiles(directory.store).count == extended.runs.count, "superseded runs are removed")
        }
        try Self.expectIndexedEqualsScan(reader, seed: 9)
    }

    /// A store with an index, and a function that checks reads, the index's rebuild and verify.
    static func indexedStore(_ directory: TemporaryDirectory) throws -> EventLog {
        try fill(directory.store, commits: 1_200, seed: 11)
        let log = try EventLog.open(directory: directory.store, options: .readOnly)
        _ = log.auditIndexStatus()
        #expect(!runFiles(directory.store).isEmpty)
        return log
    }

    static func verifyWarnings(_ log: EventLog) throws -> [String] {
        try log.verify().warnings.filter { $0.contains("audit index") }
    }

    @Test func aDeletedIndexIsRebuilt() throws {
        let directory = TemporaryDirectory()
        let log = try Self.indexedStore(directory)
        let covered = log.auditIndexStatus().coveredPosition
        try FileManager.default.removeItem(atPath: directory.store + "/index/audit")
        try Self.expectIndexedEqualsScan(log, seed: 12)
        #expect(log.auditIndexStatus().coveredPosition == covered)
        #expect(try Self.verifyWarnings(log).isEmpty)
    }

    @Test(arguments: ["truncated", "flipped header", "flipped page", "flipped table", "extended"])
    func aDamagedIndexFileIsDetectedReportedAndRebuilt(damage: String) throws {
        let directory = TemporaryDirectory()
        let log = try Self.indexedStore(directory)
        let name = try #require(Self.runFiles(directory.store).first)
        let path = directory.store + "/index/audit/" + name
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        switch damage {
        case "truncated": bytes.removeLast(1 + bytes.count / 3)
        case "flipped header": bytes[30] ^= 0x01
        case "flipped page": bytes[AuditIndexRun.pageSize + 1] ^= 0x40
        case "flipped table": bytes[bytes.count - 2] ^= 0x10
        default: bytes += [0, 0, 0, 0]
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let warnings = try Self.verifyWarnings(log)
        #expect(warnings.contains { $0.contains(name) && $0.contains("rebuilds it") }, "\(damage): \(warnings)")
        // Reads give the scan's answers (every key's list read once), and the damaged file is replaced by a sound one.
        for stream in Self.streams { #expect(try log.events(from: 1, filter: EventFilter(streams: [stream])).collect()
                                             == log.read(from: 1, filter: EventFilter(streams: [stream])).collect()) }
        for actor in Self.actors { #expect(try log.events(from: 1, filter: EventFilter(actors: [actor])).collect()
                                           == log.read(from: 1, filter: EventFilter(actors: [actor])).collect()) }
        try Self.expectIndexedEqualsScan(log, seed: 13)
        #expect(log.auditIndexStatus().problems.isEmpty)
        #expect(try Self.verifyWarnings(log).isEmpty, "rebuilt")
    }

    @Test func aRunFromAnotherStoreOrAnotherHistoryIsNeverUsed() throws {
        let directory = TemporaryDirectory()
        let log = try Self.indexedStore(directory)
        // Another store with the same history shape: its runs name the same ranges.
        let other = TemporaryDirectory()
        try Self.fill(other.store, commits: 1_200, seed: 11)
        _ = try EventLog.open(directory: other.store, options: .readOnly).auditIndexStatus()
        // A copy of this store that went on with another history: same store id, other chain values.
        let fork = TemporaryDirectory()
        try FileManager.default.copyItem(atPath: directory.store, toPath: fork.store)
        try Self.fill(fork.store, commits: 400, seed: 99)
        try Self.fill(directory.store, commits: 400, seed: 98)
        _ = try EventLog.open(directory: fork.store, options: .readOnly).auditIndexStatus()
        for (source, what) in [(other.store, "another store"), (fork.store, "another history")] {
            let audit = directory.store + "/index/audit"
            try FileManager.default.removeItem(atPath: audit)
            try FileManager.default.copyItem(atPath: source + "/index/audit", toPath: audit)
            let warnings = try Self.verifyWarnings(log)
            #expect(!warnings.isEmpty, "\(what): verify reports the swapped files")
            try Self.expectIndexedEqualsScan(log, seed: 14)
            #expect(try Self.verifyWarnings(log).isEmpty, "\(what): rebuilt")
        }
    }

    @Test func whatAKilledIndexWriterLeavesIsIgnoredAndCleanedUp() throws {
        let directory = TemporaryDirectory()
        let log = try Self.indexedStore(directory)
        let audit = directory.store + "/index/audit/"
        let runs = Self.runFiles(directory.store)
        let first = try #require(runs.first)
        // A run half-written (killed before its rename), and a merge's inputs left beside its output.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: audit + first))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: audit + first + ".tmp"))
        let range = try #require(AuditIndexRun.range(ofFileName: first))
        let half = range.first + (range.last - range.first) / 2
        try bytes.prefix(5_000).write(to: URL(fileURLWithPath: audit + AuditIndexRun.fileName(first: range.first, last: half)))
        try bytes.write(to: URL(fileURLWithPath: audit + AuditIndexRun.fileName(first: half + 1, last: range.last)))
        // A longer run cut short by a kill is not a run at all (its header checks its size).
        try bytes.prefix(bytes.count - 7).write(to: URL(fileURLWithPath: audit + AuditIndexRun.fileName(first: 1, last: range.last + 1_000_000)))
        try Self.fill(directory.store, commits: 200, seed: 15)
        try Self.expectIndexedEqualsScan(log, seed: 16)
        let left = try FileManager.default.contentsOfDirectory(atPath: audit).sorted()
        #expect(left.filter { $0 != "lock" } == log.auditIndexStatus().runs.sorted(), "\(left)")
        #expect(try Self.verifyWarnings(log).isEmpty)
    }

    @Test func aStoreWhoseIndexCannotBeWrittenIsReadByAScan() throws {
        let directory = TemporaryDirectory()
        try Self.fill(directory.store, commits: 600, seed: 17)
        let index = directory.store + "/index"
        chmod(index, 0o500)
        defer { chmod(index, 0o700) }
        let log = try EventLog.open(directory: directory.store, options: .readOnly)
        try Self.expectIndexedEqualsScan(log, seed: 18)
        // (root may write anyway: then it is indexed; either way the answers are the scan's.)
    }
}
