import Foundation
import Testing
@testable import EventLog

/// Damage is found and named: checksums, the hash chain, missing and stray segments.
@Suite struct IntegrityTests {
    /// A store with several sealed segments.
    static func sealedStore(_ dir: TemporaryDirectory) throws -> LogHead {
        let log = try EventLog.open(directory: dir.store, options: EventLogOptions(durability: .osBuffered, segmentTargetBytes: 600))
        for n in 0..<40 { _ = try log.append(commit([event("s-\(n % 3)", "T", "event number \(n) " + String(repeating: "ab", count: n % 7))])) }
        let head = try log.head()
        log.close()
        return head
    }

    /// The store of `sealedStore(_:)`, and the name and path of its first segment (a sealed one).
    static func firstSealedSegment(_ dir: TemporaryDirectory) throws -> (name: String, path: String) {
        _ = try sealedStore(dir)
        let name = segmentFiles(dir.store)[0]
        return (name, dir.store + "/log/" + name)
    }

    @Test func everyFlippedByteInASealedSegmentIsFoundAndNamed() throws {
        let dir = TemporaryDirectory()
        _ = try Self.sealedStore(dir)
        let segments = segmentFiles(dir.store)
        #expect(segments.count >= 3)
        let victim = segments[1]
        let path = dir.store + "/log/" + victim
        let original = fileBytes(path)
        for offset in 0..<original.count {
            var damaged = original
            damaged[offset] ^= 0x01
            writeBytes(damaged, to: path)
            let log = try EventLog.open(directory: dir.store, options: .readOnly)
            do {
                _ = try log.verify()
                Issue.record("a flipped byte at offset \(offset) of \(victim) went unnoticed")
            } catch let EventLogError.corrupt(location, reason) {
                #expect(location.segment == victim, "offset \(offset): \(reason)")
                #expect(location.fileOffset <= UInt64(offset), "offset \(offset): reported \(location.fileOffset)")
                #expect(location.position >= 1)
            } catch {
                Issue.record("offset \(offset): unexpected error \(error)")
            }
        }
        writeBytes(original, to: path)
        #expect(try EventLog.open(directory: dir.store, options: .readOnly).verify().segments == segments.count)
    }

    @Test func damageInASealedSegmentStopsReadsAndWriters() throws {
        let dir = TemporaryDirectory()
        let (victim, path) = try Self.firstSealedSegment(dir)
        var bytes = fileBytes(path)
        bytes[bytes.count / 2] ^= 0xFF
        writeBytes(bytes, to: path)
        let reader = try EventLog.open(directory: dir.store, options: .readOnly)
        #expect {
            _ = try reader.events(from: 1).collect()
        } throws: { error in
            guard case let EventLogError.corrupt(location, _) = error else { return false }
            return location.segment == victim && "\(error)".contains("teamlog verify")
        }
    }

    @Test func missingSegmentIsNamed() throws {
        let dir = TemporaryDirectory()
        _ = try Self.sealedStore(dir)
        let segments = segmentFiles(dir.store)
        try FileManager.default.removeItem(atPath: dir.store + "/log/" + segments[1])
        let log = try EventLog.open(directory: dir.store, options: .readOnly)
        #expect {
            _ = try log.verify()
        } throws: { error in
            guard case let EventLogError.corrupt(location, reason) = error else { return false }
            return location.segment == segments[2] && reason.contains("missing")
        }
    }

    @Test func truncatedSealedSegmentIsDamageNotATornTail() throws {
        let dir = TemporaryDirectory()
        let path = try Self.firstSealedSegment(dir).path
        let bytes = fileBytes(path)
        writeBytes(Array(bytes[0..<(bytes.count - 20)]), to: path)
        #expect(throws: EventLogError.self) { try EventLog.open(directory: dir.store, options: .readOnly).verify() }
        // Opening for writing reads only the tail; a read through the cut segment fails, and nothing is "repaired".
        let writer = try EventLog.open(directory: dir.store)
        #expect(throws: EventLogError.self) { try writer.events(from: 1).collect() }
        writer.close()
        #expect(fileBytes(path).count == bytes.count - 20, "opening never repairs a sealed segment by dropping data")
    }

    @Test func strayFileIsReported() throws {
        let dir = TemporaryDirectory()
        _ = try Self.sealedStore(dir)
        writeBytes(Array("hello".utf8), to: dir.store + "/log/notes.txt")
        let report = try EventLog.open(directory: dir.store, options: .readOnly).verify()
        #expect(report.warnings.contains { $0.contains("notes.txt") })
    }

    @Test func headHashIsComparedWhenGiven() throws {
        let dir = TemporaryDirectory()
        let head = try Self.sealedStore(dir)
        let log = try EventLog.open(directory: dir.store, options: .readOnly)
        #expect(try log.verify(expectedHeadHash: head.hashHex).head == head)
        #expect(throws: EventLogError.headHashMismatch(expected: String(repeating: "0", count: 64), actual: head.hashHex,
                                                       position: head.position)) {
            try log.verify(expectedHeadHash: String(repeating: "0", count: 64))
        }
    }
}
