import CChecksums
import Foundation
import Testing
@testable import EventLog
import PosixFiles

/// Faults of shapes the crash and flip suites do not make: files of the store deleted, truncated,
/// emptied, replaced or swapped; a table left inconsistent by kills; a second writer past a deleted
/// lock file; a writer whose segment changes under it; opening that must not write. Each test
/// failed before the mechanism it names existed.
@Suite struct UnscriptedFaultTests {
    /// Small segments: a store of several segments from a few hundred commits.
    static let small = EventLogOptions(segmentTargetBytes: 4_000, frameTargetBytes: 1_000)

    /// A store of at least `segments` segments, the newest with 40 commits or more; returns its head.
    static func makeStore(_ dir: TemporaryDirectory, segments: Int = 3, options: EventLogOptions = small) throws -> LogHead {
        let log = try EventLog.open(directory: dir.store, options: options)
        defer { log.close() }
        var n = 0
        var inNewest = 0
        var newest = ""
        repeat {
            n += 1
            _ = try log.append(commit([event("s-\(n % 5)", "T", "commit \(n) " + String(repeating: "x", count: n % 40))], id: "c\(n)"))
            let last = segmentFiles(dir.store).last ?? ""
            inNewest = last == newest ? inNewest + 1 : 0
            newest = last
        } while segmentFiles(dir.store).count < segments || inNewest < 40
        return try log.head()
    }

    static func snapshot(_ directory: String) -> [String: [UInt8]] {
        var files: [String: [UInt8]] = [:]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
            files[name] = fileBytes(directory + "/" + name)
        }
        return files
    }

    static func copy(_ dir: TemporaryDirectory) throws -> TemporaryDirectory {
        let copy = TemporaryDirectory()
        try FileManager.default.copyItem(atPath: dir.store, toPath: copy.store)
        return copy
    }

    /// Opening for writing, a reader's head and verify all fail with the loss; nothing is written.
    static func expectLoss(_ store: String, logPosition: UInt64, acknowledged: UInt64, commits: UInt64? = nil,
                           sourceLocation: SourceLocation = #_sourceLocation) {
        let before = snapshot(store + "/log")
        for attempt in 0..<2 {
            do {
                let log = try EventLog.open(directory: store, options: small)
                log.close()
                Issue.record("attempt \(attempt): opening for writing succeeded over lost commits", sourceLocation: sourceLocation)
            } catch EventLogError.acknowledgedCommitsMissing(let loss) {
                #expect(loss.logPosition == logPosition, sourceLocation: sourceLocation)
                #expect(loss.acknowledgedPosition == acknowledged, sourceLocation: sourceLocation)
                if let commits { #expect(loss.commitsMissing == commits, sourceLocation: sourceLocation) }
                #expect("\(EventLogError.acknowledgedCommitsMissing(loss))".contains("recover --accept-loss"), sourceLocation: sourceLocation)
            } catch {
                Issue.record("attempt \(attempt): \(error)", sourceLocation: sourceLocation)
            }
        }
        #expect(throws: EventLogError.self, sourceLocation: sourceLocation) {
            try EventLog.open(directory: store, options: .readOnly).head()
        }
        #expect(throws: EventLogError.self, sourceLocation: sourceLocation) {
            try EventLog.open(directory: store, options: .readOnly).verify()
        }
        #expect(snapshot(store + "/log") == before, "the log's files changed", sourceLocation: sourceLocation)
    }

    // MARK: Lost acknowledged commits

    @Test func aDeletedNewestSegmentIsALossNotATornTail() throws {
        let dir = TemporaryDirectory()
        let head = try Self.makeStore(dir)
        let segments = segmentFiles(dir.store)
        let newest = try #require(segments.last.flatMap(SegmentName.init))
        let commitsInNewest = try EventLog.open(directory: dir.store, options: .readOnly).read(from: newest.firstPosition)
            .collect().filter { $0.position == $0.commitPosition }.count
        try FileManager.default.removeItem(atPath: dir.store + "/log/" + newest.fileName)
        Self.expectLoss(dir.store, logPosition: newest.firstPosition - 1, acknowledged: head.position, commits: UInt64(commitsInNewest))
    }

    /// Every frame boundary of the newest segment, and cuts inside its frames (every 37th byte):
    /// each loses acknowledged commits, and none is taken for a torn write.
    @Test func theNewestSegmentCutAtFrameBoundariesOrInsideFramesIsALoss() throws {
        let dir = TemporaryDirectory()
        let head = try Self.makeStore(dir)
        let newest = try #require(segmentFiles(dir.store).last)
        let path = dir.store + "/log/" + newest
        let whole = fileBytes(path)
        let index = try #require(try FrameIndex.load(dir.store + "/index/frames.idx"))
        let firstPosition = try #require(SegmentName(newest)).firstPosition
        var cuts = Set(index.entries.filter { $0.segmentFirstPosition == firstPosition }.map { Int($0.frameOffset) })
        cuts.formUnion(stride(from: SegmentHeader.encodedLength, to: whole.count - 8, by: 37))
        var checked = 0
        for cut in cuts.sorted() {
            let copy = try Self.copy(dir)
            writeBytes(Array(whole[0..<cut]), to: copy.store + "/log/" + newest)
            do {
                let log = try EventLog.open(directory: copy.store, options: Self.small)
                log.close()
                Issue.record("cut at \(cut): opened for writing")
            } catch EventLogError.acknowledgedCommitsMissing(let loss) {
                #expect(loss.acknowledgedPosition == head.position, "cut at \(cut)")
                #expect(loss.logPosition < head.position && loss.logPosition >= firstPosition - 1, "cut at \(cut)")
                #expect(loss.segment == newest)
                checked += 1
            } catch {
                Issue.record("cut at \(cut): \(error)")
            }
            #expect(fileBytes(copy.store + "/log/" + newest).count == cut, "cut at \(cut): the file was changed")
        }
        #expect(checked == cuts.count && checked > 20)
    }

    @Test func anEmptiedNewestSegmentIsALossAndStaysInPlace() throws {
        let dir = TemporaryDirectory()
        let head = try Self.makeStore(dir)
        let newest = try #require(segmentFiles(dir.store).last.flatMap(SegmentName.init))
        writeBytes([], to: dir.store + "/log/" + newest.fileName)
        Self.expectLoss(dir.store, logPosition: newest.firstPosition - 1, acknowledged: head.position)
        #expect(FileManager.default.fileExists(atPath: dir.store + "/log/" + newest.fileName))
    }

    /// Without the record of the last acknowledged commit, the sparse index still shows the loss;
    /// without the index too, nothing can tell: the writer refuses rather than guess.
    @Test func theOtherRecordsShowALossAndWithoutThemTheWriterRefuses() throws {
        let dir = TemporaryDirectory()
        _ = try Self.makeStore(dir)
        let newest = try #require(segmentFiles(dir.store).last.flatMap(SegmentName.init))
        try FileManager.default.removeItem(atPath: dir.store + "/log/" + newest.fileName)
        try FileManager.default.removeItem(atPath: dir.store + "/acknowledged")
        #expect {
            try EventLog.open(directory: dir.store, options: Self.small)
        } throws: { error in
            guard case EventLogError.acknowledgedCommitsMissing(let loss) = error else { return false }
            return loss.evidence.contains("frames.idx") && loss.logPosition == newest.firstPosition - 1
        }
        // The tables, checkpointed at the writer's close, show it too.
        try FileManager.default.removeItem(atPath: dir.store + "/index/frames.idx")
        #expect {
            try EventLog.open(directory: dir.store, options: Self.small)
        } throws: { error in
            guard case EventLogError.acknowledgedCommitsMissing(let loss) = error else { return false }
            return loss.evidence.contains(".tbl")
        }
        for name in ["streams.tbl", "commands.tbl"] { try FileManager.default.removeItem(atPath: dir.store + "/index/" + name) }
        let before = Self.snapshot(dir.store + "/log")
        #expect {
            try EventLog.open(directory: dir.store, options: Self.small)
        } throws: { error in
            guard case EventLogError.acknowledgedHeadUnknown(_, _, let position) = error else { return false }
            return position == newest.firstPosition - 1 && "\(error)".contains("teamlog recover")
        }
        #expect(Self.snapshot(dir.store + "/log") == before)
        let report = try EventLog.open(directory: dir.store, options: .readOnly).verify()
        #expect(report.warnings.contains { $0.contains("cannot be used") })
    }

    @Test func aRecordOfAnotherStoreOrAGarbledOneIsNotTrusted() throws {
        let dir = TemporaryDirectory()
        let other = TemporaryDirectory()
        _ = try Self.makeStore(dir, segments: 1)
        _ = try Self.makeStore(other, segments: 1)
        for replacement in [fileBytes(other.store + "/acknowledged"), [UInt8](repeating: 0x41, count: 256), []] {
            writeBytes(replacement, to: dir.store + "/acknowledged")
            #expect {
                try EventLog.open(directory: dir.store, options: Self.small)
            } throws: { error in
                if case EventLogError.acknowledgedHeadUnknown = error { return true }
                return false
            }
        }
    }

    /// Two histories of one store diverge after a common point: the newest segment of one put in
    /// place of the other's holds as many commits, but not the acknowledged ones.
    @Test func aSegmentFromAnotherHistoryIsDamageEvenWhenItIsAsLong() throws {
        let dir = TemporaryDirectory()
        _ = try Self.makeStore(dir, segments: 1)
        let twin = try Self.copy(dir)
        for (store, text) in [(dir.store, "one"), (twin.store, "two")] {
            let log = try EventLog.open(directory: store, options: Self.small)
            _ = try log.append(commit([event("s-1", "T", text)]))
            log.close()
        }
        let newest = try #require(segmentFiles(dir.store).last)
        writeBytes(fileBytes(twin.store + "/log/" + newest), to: dir.store + "/log/" + newest)
        #expect {
            try EventLog.open(directory: dir.store, options: Self.small)
        } throws: { error in
            guard case EventLogError.corrupt(_, let reason) = error else { return false }
            return reason.contains("acknowledged")
        }
        #expect(throws: EventLogError.self) { try EventLog.open(directory: dir.store, options: .readOnly).verify() }
    }

    @Test func swappedSegmentsAreDamage() throws {
        let dir = TemporaryDirectory()
        _ = try Self.makeStore(dir, segments: 4)
        let names = segmentFiles(dir.store)
        let a = dir.store + "/log/" + names[1], b = dir.store + "/log/" + names[2]
        let bytesA = fileBytes(a)
        writeBytes(fileBytes(b), to: a)
        writeBytes(bytesA, to: b)
        #expect(throws: EventLogError.self) { try EventLog.open(directory: dir.store, options: .readOnly).verify() }
        #expect(throws: EventLogError.self) { try EventLog.open(directory: dir.store, options: .readOnly).read().collect() }
    }

    // MARK: The way out

    @Test func acceptingALossCutsAfterTheLastSoundCommitAndRecordsItInTheLog() throws {
        let dir = TemporaryDirectory()
        let head = try Self.makeStore(dir, segments: 4)
        let names = segmentFiles(dir.store)
        let damaged = dir.store + "/log/" + names[1]
        var bytes = fileBytes(damaged)
        bytes[bytes.count / 2] ^= 0x20
        writeBytes(bytes, to: damaged)
        let before = Self.snapshot(dir.store + "/log")
        // Without accepting: nothing changes.
        let survey = try EventLog.recover(directory: dir.store, acceptLoss: false, reason: "", actor: "operator")
        #expect(!survey.isIntact && !survey.accepted)
        #expect(survey.held.position < head.position)
        #expect(survey.held.position >= (SegmentName(names[1])?.firstPosition ?? 0) - 1)
        #expect(Self.snapshot(dir.store + "/log") == before)
        // Accepting: the log ends at the last sound commit, then the loss record.
        let outcome = try EventLog.recover(directory: dir.store, acceptLoss: true, reason: "disk failure, no backup", actor: "operator")
        #expect(outcome.accepted && outcome.lossRecordPosition == survey.held.position + 1)
        #expect(outcome.cuts.count == names.count - 1)
        let reader = try EventLog.open(directory: dir.store, options: .readOnly)
        let report = try reader.verify()
        #expect(report.head.position == survey.held.position + 1)
        let record = try #require(try reader.read(from: report.head.position).collect().first)
        #expect(record.stream == LogLossRecord.stream && record.type == LogLossRecord.eventType)
        let payload = String(decoding: record.payload, as: UTF8.self)
        #expect(payload.contains("\"lostFrom\":\(survey.held.position + 1)") && payload.contains("disk failure, no backup"))
        // The store goes on from there.
        let log = try EventLog.open(directory: dir.store, options: Self.small)
        #expect(try log.append(commit([event("s-9")])).firstPosition == report.head.position + 1)
        log.close()
        #expect(try EventLog.open(directory: dir.store, options: .readOnly).verify().head.position == report.head.position + 1)
    }

    @Test func recoverConfirmsAWholeLogWhoseRecordIsGone() throws {
        let dir = TemporaryDirectory()
        let head = try Self.makeStore(dir, segments: 2)
        try FileManager.default.removeItem(atPath: dir.store + "/acknowledged")
        #expect(throws: EventLogError.self) { try EventLog.open(directory: dir.store, options: Self.small) }
        let outcome = try EventLog.recover(directory: dir.store, acceptLoss: false, reason: "", actor: "operator")
        #expect(outcome.isIntact && outcome.held == head)
        let log = try EventLog.open(directory: dir.store, options: Self.small)
        #expect(try log.append(commit([event("s-1")])).firstPosition == head.position + 1)
        log.close()
    }

    @Test func aClaimFromOutsideTheLogIsALossToo() throws {
        let dir = TemporaryDirectory()
        let head = try Self.makeStore(dir, segments: 1)
        let outcome = try EventLog.recover(directory: dir.store, acceptLoss: false, reason: "", actor: "operator",
                                           claims: [("view users", head.position + 5)])
        #expect(!outcome.isIntact)
        #expect(outcome.loss?.acknowledgedPosition == head.position + 5 && outcome.loss?.evidence == "view users")
    }

    // MARK: Verify against recorded chain values

    @Test func chainValuesRecordedEarlierAreCheckedAfterTheLogGrew() throws {
        let dir = TemporaryDirectory()
        let log = try EventLog.open(directory: dir.store, options: Self.small)
        var recorded: [ChainExpectation] = []
        for n in 1...300 {
            _ = try log.append(commit([event("s-\(n % 3)", "T", "n\(n)"), event("t-\(n % 2)", "T", "m\(n)")]))
            if n % 50 == 0 { let head = try log.head(); recorded.append(ChainExpectation(position: head.position, hash: head.hash)) }
        }
        log.close()
        let reader = try EventLog.open(directory: dir.store, options: .readOnly)
        #expect(try reader.verify(expectations: recorded).expectationsChecked == recorded.count)
        var wrong = recorded[2]
        wrong.hash[0] ^= 1
        let inside = ChainExpectation(position: recorded[0].position - 1, hash: recorded[0].hash)
        let beyond = ChainExpectation(position: recorded[5].position + 1, hash: recorded[5].hash)
        for (expectation, words) in [(wrong, "was changed"), (inside, "no commit ends"), (beyond, "are missing")] {
            #expect {
                try reader.verify(expectations: recorded + [expectation])
            } throws: { error in
                guard case EventLogError.expectationFailed(let position, let reason) = error else { return false }
                return position == expectation.position && reason.contains(words)
            }
        }
    }

    // MARK: Tables without a clean close

    @Test func aTableKeepsItsCountWithoutACleanClose() throws {
        let dir = TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir.path + "/t", withIntermediateDirectories: true)
        let path = dir.path + "/t/table.tbl"
        do {
            let table = try DiskHashTable.create(path: path, capacity: 16)
            for n in 0..<3_000 { try table.set(DiskHashTable.Key("k\(n)"), UInt64(n), 1) }
            // No checkpoint, no close: as after kill -9.
        }
        let reopened = try #require(try DiskHashTable.open(path: path, writable: true))
        #expect(reopened.count == 3_000)
        #expect(try reopened.lookup(DiskHashTable.Key("k2999"))?.0 == 2_999)
        #expect(try reopened.lookup(DiskHashTable.Key("absent")) == nil)
    }

    /// A table whose every slot is taken though its header counts none: lookups fail as damage
    /// instead of probing forever, and a writer rebuilds it from the log and appends.
    @Test(.timeLimit(.minutes(1)))
    func aFullTableIsRebuiltInsteadOfProbedForever() throws {
        let dir = TemporaryDirectory()
        let head = try Self.makeStore(dir, segments: 1)
        for name in ["streams.tbl", "commands.tbl"] {
            let capacity = 64
            var bytes = Array("TLTABLE1".utf8)
            bytes.appendLE(UInt64(capacity))
            bytes.appendLE(UInt64(0))
            bytes.appendLE(head.position)
            bytes.append(contentsOf: [UInt8](repeating: 0, count: 28))
            let crc = bytes.withUnsafeBytes { teamlog_crc32c(0, $0.baseAddress, 60) }
            bytes.appendLE(crc)
            for n in 0..<capacity {
                var slot: [UInt8] = []
                slot.appendLE(UInt64(n * 2 + 1))
                slot.appendLE(UInt64(n))
                slot.appendLE(UInt64(1))
                slot.appendLE(UInt64(1))
                bytes += slot
            }
            writeBytes(bytes, to: dir.store + "/index/" + name)
        }
        let table = try #require(try DiskHashTable.open(path: dir.store + "/index/streams.tbl", writable: false))
        #expect(throws: EventLogError.self) { try table.lookup(DiskHashTable.Key("s-1")) }
        let log = try EventLog.open(directory: dir.store, options: Self.small)
        #expect(try log.streamVersion("s-1") > 0)
        #expect(try log.append(commit([event("s-1")], id: "c7")).isDuplicate)
        #expect(try log.append(commit([event("s-1")], id: "new")).firstPosition == head.position + 1)
        log.close()
    }

    /// Kill a writer many times in a row with enough new command ids between kills to fill the
    /// command table several times over (its first capacity is 4,096 slots): a writer still
    /// appends promptly afterwards.
    @Test(.timeLimit(.minutes(5)))
    func manyKillsInARowLeaveTablesAWriterCanUse() throws {
        let dir = TemporaryDirectory()
        var acknowledged = 0
        for round in 0..<8 {
            acknowledged += try Self.appendThenKill(store: dir.store, run: "k\(round)", acknowledgements: 1_500)
        }
        #expect(acknowledged >= 8 * 1_500)
        let finished = try Self.run(ProcessTests.testkit, ["append-loop", "--store", dir.store, "--run", "after", "--count", "50",
                                                           "--durability", "os", "--lock-timeout", "30"], timeout: 60)
        #expect(finished == 0, "the writer after the kills did not finish (a hang is killed after 60 s)")
        let log = try EventLog.open(directory: dir.store, options: .readOnly)
        #expect(try log.verify().commits >= UInt64(acknowledged + 50))
    }

    /// Runs a process, killing it after `timeout` seconds; its exit status (or -1 when killed).
    static func run(_ executable: String, _ arguments: [String], timeout: Double) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return -1
        }
        return process.terminationStatus
    }

    /// Starts an append loop, SIGKILLs it once it acknowledged `acknowledgements` commits.
    static func appendThenKill(store: String, run: String, acknowledgements: Int) throws -> Int {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ProcessTests.testkit)
        process.arguments = ["append-loop", "--store", store, "--run", run, "--durability", "os", "--lock-timeout", "30"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        var seen = 0
        var buffer = Data()
        let deadline = Date().addingTimeInterval(120)
        while seen < acknowledgements, Date() < deadline {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            buffer.append(chunk)
            seen = buffer.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(seen >= acknowledgements, "the writer of round \(run) acknowledged only \(seen) commits")
        return seen
    }

    // MARK: One writer

    @Test func aDeletedOrReplacedLockFileLetsNoSecondWriterIn() throws {
        let dir = TemporaryDirectory()
        let first = try EventLog.open(directory: dir.store)
        defer { first.close() }
        _ = try first.append(commit([event("s")]))
        for replace in [false, true] {
            try? FileManager.default.removeItem(atPath: dir.store + "/lock")
            if replace { writeBytes(Array("12345\n".utf8), to: dir.store + "/lock") }
            #expect {
                try EventLog.open(directory: dir.store, options: EventLogOptions(lockTimeout: 0.2))
            } throws: { error in
                if case EventLogError.busy = error { return true }
                return false
            }
        }
        _ = try first.append(commit([event("s")]))
    }

    @Test func aWriterStopsWhenItsSegmentChangesUnderIt() throws {
        let dir = TemporaryDirectory()
        let log = try EventLog.open(directory: dir.store)
        _ = try log.append(commit([event("s")]))
        let path = dir.store + "/log/" + segmentFiles(dir.store)[0]
        // Someone else's bytes after ours.
        let foreign = try PosixFile.open(path, flags: O_WRONLY)
        let size = try foreign.size()
        try foreign.write(Array(repeating: 0x55, count: 100), at: size)
        foreign.close()
        #expect {
            try log.append(commit([event("s")]))
        } throws: { error in
            if case EventLogError.foreignWrite = error { return true }
            return false
        }
        #expect(fileBytes(path).count == Int(size) + 100, "the writer wrote after bytes it did not expect")
        #expect(throws: EventLogError.self) { try log.append(commit([event("s")])) }
        log.close()
        // A replaced file is just as foreign.
        writeBytes(Array(fileBytes(path).dropLast(100)), to: path)
        let second = try EventLog.open(directory: dir.store)
        _ = try second.append(commit([event("s")]))
        let copy = path + ".copy"
        writeBytes(fileBytes(path), to: copy)
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.moveItem(atPath: copy, toPath: path)
        #expect {
            try second.append(commit([event("s")]))
        } throws: { error in
            if case EventLogError.foreignWrite = error { return true }
            return false
        }
        second.close()
    }

    // MARK: Opening writes nothing

    /// After many one-commit writers (fragmented frames) and after a torn write, a writer that
    /// appends nothing leaves every byte of the log; the first append then repacks and cuts.
    @Test func openingWithoutAppendingLeavesTheLogsBytes() throws {
        let dir = TemporaryDirectory()
        for n in 0..<32 {
            let log = try EventLog.open(directory: dir.store)
            _ = try log.append(commit([event("s-\(n % 3)", "T", "one commit per process \(n)")]))
            log.close()
        }
        let path = dir.store + "/log/" + segmentFiles(dir.store)[0]
        // A torn write beyond the acknowledged end: the start of a new frame's header.
        writeBytes(fileBytes(path) + [0x04, 0x22, 0x4D, 0x18, 0x64], to: path)
        let before = Self.snapshot(dir.store + "/log")
        for _ in 0..<3 {
            let log = try EventLog.open(directory: dir.store)
            #expect(log.recovery != nil)
            // A conflict: nothing is appended.
            #expect(throws: EventLogError.self) {
                try log.append(ProposedCommit(events: [event("s-0")], expectations: ["s-0": .exactly(99)], actor: "t"))
            }
            log.close()
        }
        #expect(Self.snapshot(dir.store + "/log") == before, "a writer that appended nothing changed the log")
        let log = try EventLog.open(directory: dir.store)
        _ = try log.append(commit([event("s-0")]))
        log.close()
        let report = try EventLog.open(directory: dir.store, options: .readOnly).verify()
        #expect(report.head.position == 33 && report.tornTail == nil)
        #expect(report.frames <= 2, "the first append repacks the fragmented segment")
    }

    /// A seal interrupted by a crash: the newest segment file is shorter than its header, and the
    /// record of what was acknowledged ends before it. Not a loss: the first append writes the header.
    @Test func anInterruptedSealIsFinishedByTheFirstAppend() throws {
        let dir = TemporaryDirectory()
        let head = try Self.makeStore(dir, segments: 2)
        let next = SegmentName(firstPosition: head.position + 1)
        writeBytes([0x50, 0x2A, 0x4D], to: dir.store + "/log/" + next.fileName)
        let before = Self.snapshot(dir.store + "/log")
        let idle = try EventLog.open(directory: dir.store, options: Self.small)
        #expect(try idle.head() == head)
        idle.close()
        #expect(Self.snapshot(dir.store + "/log") == before)
        let log = try EventLog.open(directory: dir.store, options: Self.small)
        #expect(try log.append(commit([event("s-1")])).firstPosition == head.position + 1)
        log.close()
        let report = try EventLog.open(directory: dir.store, options: .readOnly).verify()
        #expect(report.head.position == head.position + 1 && report.segments == segmentFiles(dir.store).count)
    }
}

