import Foundation
import Testing
@testable import EventLog

/// A commit sent on its actor's behalf (kind 2) records the principal beside the actor; every read path
/// gives it back, verify and the auditor's script accept it, and other commits keep kind 1's bytes.
@Suite struct PrincipalTests {
    @Test func everyReadPathGivesBackThePrincipalAndOnlyWhereThereIsOne() throws {
        let dir = TemporaryDirectory()
        let log = try EventLog.open(directory: dir.store, options: EventLogOptions(segmentTargetBytes: 1_500))
        var expected: [UInt64: String?] = [:]
        for n in 0..<40 {
            var proposed = commit([event("s-\(n % 4)"), event("x-\(n)")], id: "c\(n)", actor: "u-\(n % 3)")
            if n % 3 == 0 { proposed.principal = "operator:u-ops:key\(n)" }
            let result = try log.append(proposed)
            for position in result.firstPosition...result.lastPosition { expected[position] = proposed.principal }
        }
        let head = try log.head()
        var serial: [UInt64: String?] = [:]
        let cursor = try log.read()
        while let recorded = try cursor.next() { serial[recorded.position] = recorded.principal }
        #expect(serial == expected)
        var parallel: [UInt64: String?] = [:]
        let parallelCursor = try log.readInParallel()
        while let recorded = try parallelCursor.next() { parallel[recorded.position] = recorded.principal }
        #expect(parallel == expected)
        var chunked: [UInt64: String?] = [:]
        let chunks = try log.readChunks()
        while let chunk = try chunks.next(targetBytes: 700) {
            for index in 0..<chunk.count { chunk.withEvent(at: index) { chunked[$0.position] = $0.principal } }
        }
        #expect(chunked == expected)
        log.close()
        let reopened = try EventLog.open(directory: dir.store)
        #expect(try reopened.head() == head)
        #expect(try reopened.verify().commits == 40)
        reopened.close()
        let script = try run("/usr/bin/env", ["python3", packageRoot + "/Tools/read-log.py", dir.store])
        #expect(script.status == 0, "\(script.stderr)")
        #expect(script.stdout.contains("\"head_hash\": \"\(head.hashHex)\""))
        #expect(script.stdout.components(separatedBy: "\"principal\": \"operator:u-ops:").count - 1 == 28)
    }

    @Test func aCommitWithoutAPrincipalIsKindOneByteForByte() {
        let events = [CommitRecord.Event(stream: "s", streamVersion: 1, type: "T", schemaVersion: 1, payload: [1, 2])]
        var plain: [UInt8] = []
        CommitRecord(firstPosition: 1, recordedAtMicros: 5, commandId: "c", correlationId: nil, actor: "u", events: events)
            .encode(into: &plain)
        #expect(plain[4] == CommitRecord.kindCommit)
        var sent: [UInt8] = []
        CommitRecord(firstPosition: 1, recordedAtMicros: 5, commandId: "c", correlationId: nil, actor: "u", principal: "p",
                     events: events).encode(into: &sent)
        #expect(sent[4] == CommitRecord.kindCommitWithPrincipal)
        #expect(sent.count == plain.count + 3)
    }

    @Test func anEmptyOrOverlongPrincipalIsRefusedAndNothingIsAppended() throws {
        let dir = TemporaryDirectory()
        let log = try EventLog.open(directory: dir.store)
        for principal in ["", String(repeating: "p", count: 70_000)] {
            var proposed = commit([event("s")], actor: "u")
            proposed.principal = principal
            #expect(throws: EventLogError.self) { try log.append(proposed) }
        }
        #expect(try log.head().position == 0)
    }
}
