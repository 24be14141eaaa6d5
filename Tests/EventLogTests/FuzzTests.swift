import Foundation
import Testing
@testable import EventLog

/// The segment reader fed random and mutated bytes: it may succeed or throw `EventLogError`, never
/// crash or hang. Bounded: a fixed number of inputs from a seeded generator, so failures reproduce.
@Suite struct SegmentFuzzTests {
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Reads the whole store every way a user can; returns how it ended (a crash would end the test run).
    static func readEverything(_ store: String) -> String {
        do throws(EventLogError) {
            let log = try EventLog.open(directory: store, options: .readOnly)
            _ = try log.verify()
            _ = try log.read().collect()
            _ = try log.statistics()
            return "ok"
        } catch {
            #expect(!error.description.isEmpty)
            return "error"
        }
    }

    @Test func mutatedSegmentsGiveClearErrorsOrCorrectData() throws {
        let dir = TemporaryDirectory()
        do {
            let log = try EventLog.open(directory: dir.store, options: EventLogOptions(durability: .osBuffered))
            for n in 0..<40 { _ = try log.append(commit([event("s-\(n % 5)", "T", "fuzz \(n) " + String(repeating: "q", count: n))])) }
            log.close()
        }
        let path = dir.store + "/log/" + segmentFiles(dir.store)[0]
        let original = fileBytes(path)
        var generator = SplitMix(state: 2026)
        var outcomes: [String: Int] = [:]
        for _ in 0..<600 {
            var bytes = original
            switch generator.next() % 5 {
            case 0: // a few random bytes changed
                for _ in 0..<(1 + Int(generator.next() % 4)) { bytes[Int(generator.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: generator.next()) }
            case 1: // truncated anywhere
                bytes = Array(bytes[0..<Int(generator.next() % UInt64(bytes.count))])
            case 2: // garbage inserted
                let at = Int(generator.next() % UInt64(bytes.count))
                bytes.insert(contentsOf: (0..<Int(generator.next() % 64)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }, at: at)
            case 3: // a run of bytes duplicated (a repeated block)
                let start = Int(generator.next() % UInt64(bytes.count))
                let end = min(bytes.count, start + Int(generator.next() % 200))
                bytes.insert(contentsOf: bytes[start..<end], at: end)
            default: // a length field made huge
                let at = Int(generator.next() % UInt64(max(1, bytes.count - 4)))
                bytes[at] = 0xFF; bytes[at + 1] = 0xFF; bytes[at + 2] = 0xFF; bytes[at + 3] = 0x7F
            }
            writeBytes(bytes, to: path)
            outcomes[Self.readEverything(dir.store), default: 0] += 1
        }
        #expect((outcomes["error"] ?? 0) > 300, "most mutations must be detected: \(outcomes)")
    }

    @Test func randomFilesAreNotSegments() throws {
        let dir = TemporaryDirectory()
        try EventLog.open(directory: dir.store).close()
        let path = dir.store + "/log/" + segmentFiles(dir.store)[0]
        let header = fileBytes(path)
        var generator = SplitMix(state: 7)
        for round in 0..<300 {
            let length = Int(generator.next() % 4_096)
            var bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            // Half of them behind a valid segment header, so the frame parser itself is exercised.
            if round % 2 == 0 { bytes = header + [0x04, 0x22, 0x4D, 0x18] + bytes }
            writeBytes(bytes, to: path)
            #expect(["ok", "error"].contains(Self.readEverything(dir.store)))
        }
    }
}
