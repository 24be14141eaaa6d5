import Foundation
import Testing
@testable import Marketplace

/// The JSON command parser fed mutated and random lines: each is parsed or rejected with a
/// `CommandRejection` whose message names the problem; nothing crashes.
@Suite struct CommandParserFuzzTests {
    static let samples = [
        #"{"command":"InviteProviders","actor":"u-amy","commandId":"c-1","emails":["raj@example.com"]}"#,
        #"{"command":"SendMessage","actor":"u-bob","recipientId":"u-kim","subject":"Hi","body":"Welcome aboard"}"#,
        #"{"command":"PostJob","actor":"u-acme","title":"Bench","description":"Join us","visibility":"private"}"#,
        #"{"command":"RecordPayment","actor":"u-bob","assignmentId":"a-1","amountCents":50000,"currency":"USD"}"#,
    ]

    @Test func mutatedLinesAreParsedOrRejectedClearly() {
        var state: UInt64 = 99
        func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 17
        }
        let alphabet = Array(#"{}[]":,\ 0123456789abcdefghijklmnopqrstuvwxyz-.eEtrufnl"#.utf8)
        var rejected = 0
        for n in 0..<3_000 {
            var bytes = Array(Self.samples[n % Self.samples.count].utf8)
            for _ in 0..<(1 + Int(next() % 4)) {
                let at = Int(next() % UInt64(bytes.count))
                switch next() % 3 {
                case 0: bytes[at] = alphabet[Int(next() % UInt64(alphabet.count))]
                case 1: bytes.remove(at: at)
                default: bytes.insert(alphabet[Int(next() % UInt64(alphabet.count))], at: at)
                }
                if bytes.isEmpty { bytes = [0x7B] }
            }
            let line = String(decoding: bytes, as: UTF8.self)
            do {
                _ = try CommandEnvelope.parse(jsonLine: line)
            } catch {
                rejected += 1
                #expect(!error.description.isEmpty)
            }
        }
        #expect(rejected > 1_000)
    }
}
