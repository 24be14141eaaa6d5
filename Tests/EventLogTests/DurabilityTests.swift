import Foundation
import Testing
@testable import EventLog

/// Reopening, torn tails, and what opening for writing repairs (and what it never does).
@Suite struct DurabilityTests {
    @Test func commitsSurviveReopenWithTheSameHead() throws {
        let dir = TemporaryDirectory()
        var head = LogHead.empty
        do {
            let log = try EventLog.open(directory: dir.store)
            for n in 0..<20 { _ = try log.append(commit([event("s-\(n % 4)")], id: "c\(n)")) }
            head = try log.head()
            log.close()
        }
        let reopened = try EventLog.open(directory: dir.store)
        #expect(try reopened.head() == head)
        #expect(reopened.recovery == nil)
        #expect(try reopened.streamVersion("s-1") == 5)
        let repeatResult = try reopened.append(commit([event("s-0")], id: "c3"))
        #expect(repeatResult.isDuplicate && repeatResult.firstPosition == 4)
        reopened.close()
        let reader = try EventLog.open(directory: dir.store, options: .readOnly)
        #expect(try reader.head() == head)
        #expect(try reader.verify().head == head)
    }

    /// Cuts the segment at every byte offset inside its last commit, a write that was never
    /// acknowledged (every other file of the store is as it was before that write):
    /// the store reopens at the commit before (or, for cuts inside the frame's end mark, with the
    /// commit kept), reports the cut, verifies, and takes new appends.
    @Test func logCutAtEveryByteOfItsLastCommitReopensToTheCommitBefore() throws {
        let dir = TemporaryDirectory()
        let segment: String
        let sizeBefore: UInt64
        let headBefore: LogHead
        let headAfter: LogHead
        // The store as a crash during the last write leaves it: everything but the segment as before it.
        let crashed = TemporaryDirectory()
        do {
            let log = try EventLog.open(directory: dir.store, options: EventLogOptions(durability: .osBuffered))
            for n in 0..<10 { _ = try log.append(commit([event("s", "T", "\(n)")])) }
            segment = dir.store + "/log/" + segmentFiles(dir.store)[0]
            headBefore = try log.head()
            sizeBefore = UInt64(fileBytes(segment).count)
            try FileManager.default.copyItem(atPath: dir.store, toPath: crashed.store)
            _ = try log.append(commit([event("s", "Last", String(repeating: "x", count: 300)), event("t", "Last", "y")]))
            headAfter = try log.head()
            log.close()
        }
        let whole = fileBytes(segment)
        let commitEnd = UInt64(whole.count) - 8 // the frame's end mark and checksum follow the commit
        #expect(commitEnd > sizeBefore)
        for cut in sizeBefore..<UInt64(whole.count) {
            let copy = TemporaryDirectory()
            try FileManager.default.copyItem(atPath: crashed.store, toPath: copy.store)
            let path = copy.store + "/log/" + (segment as NSString).lastPathComponent
            writeBytes(Array(whole[0..<Int(cut)]), to: path)
            let log = try EventLog.open(directory: copy.store)
            let expected = cut < commitEnd ? headBefore : headAfter
            #expect(try log.head() == expected, "cut at \(cut)")
            if cut > sizeBefore && cut < commitEnd {
                let report = try #require(log.recovery, "cut at \(cut)")
                #expect(report.bytesCut == cut - sizeBefore)
                #expect(report.commitsCut == 1)
                #expect(report.headPosition == headBefore.position)
            }
            let next = try log.append(commit([event("s", "After", "z")]))
            #expect(next.firstPosition == expected.position + 1)
            log.close()
            let check = try EventLog.open(directory: copy.store, options: .readOnly).verify()
            #expect(check.head.position == expected.position + 1)
            #expect(check.tornTail == nil)
        }
    }

    @Test func zeroFilledTailIsCutLikeATornWrite() throws {
        let dir = TemporaryDirectory()
        do {
            let log = try EventLog.open(directory: dir.store)
            for n in 0..<5 { _ = try log.append(commit([event("s", "T", "\(n)")])) }
            log.close()
        }
        let path = dir.store + "/log/" + segmentFiles(dir.store)[0]
        writeBytes(fileBytes(path) + [UInt8](repeating: 0, count: 4096), to: path)
        let log = try EventLog.open(directory: dir.store)
        #expect(try log.head().position == 5)
        #expect(log.recovery?.bytesCut == 4096)
    }

    @Test func derivedFilesAreRebuiltFromTheSegments() throws {
        let dir = TemporaryDirectory()
        let head: LogHead
        do {
            let log = try EventLog.open(directory: dir.store, options: EventLogOptions(segmentTargetBytes: 600))
            for n in 0..<60 { _ = try log.append(commit([event("s-\(n % 3)", "T", "\(n)")], id: "c\(n)")) }
            head = try log.head()
            log.close()
        }
        #expect(segmentFiles(dir.store).count > 3)
        // Deleted index and tables.
        for name in ["frames.idx", "streams.tbl", "commands.tbl"] { try FileManager.default.removeItem(atPath: dir.store + "/index/" + name) }
        do {
            let log = try EventLog.open(directory: dir.store, options: EventLogOptions(segmentTargetBytes: 600))
            #expect(try log.head() == head)
            #expect(try log.streamVersion("s-2") == 20)
            #expect(try log.append(commit([event("s-0")], id: "c7")).isDuplicate)
            log.close()
        }
        // Damaged index and tables.
        for name in ["frames.idx", "streams.tbl", "commands.tbl"] {
            let path = dir.store + "/index/" + name
            var bytes = fileBytes(path)
            for i in stride(from: 3, to: bytes.count, by: 97) { bytes[i] ^= 0x5A }
            writeBytes(bytes, to: path)
        }
        let log = try EventLog.open(directory: dir.store, options: EventLogOptions(segmentTargetBytes: 600))
        #expect(!log.rebuiltDerivedFiles.isEmpty)
        #expect(try log.head() == head)
        #expect(try log.append(commit([event("s-0")], id: "c59")).isDuplicate)
        #expect(try log.read(from: 31).collect().map(\.position) == Array(31...60))
    }

    @Test func lostStoreIdIsRecoveredFromTheFirstSegment() throws {
        let dir = TemporaryDirectory()
        let id: StoreID
        do {
            let log = try EventLog.open(directory: dir.store)
            _ = try log.append(commit([event("s")]))
            id = log.storeId
            log.close()
        }
        try FileManager.default.removeItem(atPath: dir.store + "/store.id")
        #expect(try EventLog.open(directory: dir.store, options: .readOnly).storeId == id)
    }

    @Test func readOnlyOpeningOfANonStoreFailsClearly() throws {
        let dir = TemporaryDirectory()
        #expect {
            try EventLog.open(directory: dir.path + "/nothing", options: .readOnly)
        } throws: { error in
            guard case EventLogError.notAStore = error else { return false }
            return "\(error)".contains("not a Teamlog store")
        }
    }

    @Test func appendsToAReadOnlyLogAreRefused() throws {
        let dir = TemporaryDirectory()
        try EventLog.open(directory: dir.store).close()
        let reader = try EventLog.open(directory: dir.store, options: .readOnly)
        #expect(throws: EventLogError.self) { try reader.append(commit([event("s")])) }
    }
}
