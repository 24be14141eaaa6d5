import Application
import ArgumentParser
import EventLog

/// `teamlog verify`: re-checks every checksum and the hash chain; prints the head hash.
struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check every checksum and the hash chain; print the head hash.",
        discussion: """
            Reads the whole log. On damage, prints the segment file, byte offset and position of the first
            bad record and exits 65. It also checks the log against the store's records of what it
            acknowledged (the file `acknowledged`, the sparse index, the stream and command tables, each
            view's and the decision state's checkpoint): a log that ends before any of them lost
            acknowledged commits, and exits 65 naming the positions. Prints the head as POSITION:HASH:
            record that pair, and check it later with --expect POSITION:HASH (any number of them; each
            must still be in the log, however much it has grown since). --expect-head compares the current
            head hash only.

            Examples:
              teamlog verify
              teamlog verify --expect 16003:3f1c…e9 --expect 23006:77ab…01
              teamlog verify --expect-head 3f1c…e9
              teamlog verify --views
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: ArgumentHelp("The head hash (hex) the log must have.", valueName: "hash"))
    var expectHead: String?

    @Option(name: .customLong("expect"), parsing: .singleValue,
            help: ArgumentHelp("A commit's last position and the chain value after it, as verify printed them (repeatable).",
                               valueName: "position:hash"))
    var expectations: [String] = []

    @Flag(help: "Also prove that each view equals the log: re-project the log up to each view's checkpoint and compare fingerprints.")
    var views = false

    mutating func validate() throws {
        for expectation in expectations where ChainExpectation(expectation) == nil {
            throw ValidationError("--expect takes POSITION:HASH as `teamlog verify` printed it (head: POSITION:HASH, 64 hexadecimal digits); '\(expectation.prefix(80))' is not.")
        }
        guard let expectHead else { return }
        guard expectHead.utf8.count == 64, expectHead.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
            || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0 | 0x20) }) else {
            throw ValidationError("--expect-head takes the 64 hexadecimal digits `teamlog verify` printed as the head hash.")
        }
    }

    func run() throws {
        let store = Store(storeOptions)
        let log = try store.openForReading()
        let derived = DerivedCheckpoints.read(storeDirectory: store.directory)
        let progress = ProgressBar("verify")
        let report: VerificationReport
        do throws(EventLogError) {
            report = try log.verify(expectedHeadHash: expectHead, expectations: expectations.compactMap(ChainExpectation.init)) { step in
                progress.update(done: step.position, total: step.headPosition)
            }
            progress.finish()
            // The views and the decision state saw events up to their checkpoints: the log must hold them.
            if let furthest = derived.ahead(of: report.head.position).max(by: { $0.position < $1.position }) {
                throw EventLogError.acknowledgedCommitsMissing(AcknowledgedLoss(
                    logHead: report.head, acknowledgedPosition: furthest.position,
                    evidence: "\(furthest.source), checkpointed at position \(furthest.position),"))
            }
        } catch {
            progress.finish()
            switch error {
            case .corrupt(let location, _):
                StandardStreams.out("DAMAGED segment=\(location.segment) offset=\(location.fileOffset) position=\(location.position)")
            case .acknowledgedCommitsMissing(let loss):
                StandardStreams.out("LOST positions=\(loss.logPosition + 1)-\(loss.acknowledgedPosition)"
                    + (loss.commitsMissing.map { " commits=\($0)" } ?? "")
                    + (loss.segment.isEmpty ? "" : " segment=\(loss.segment) offset=\(loss.fileOffset)"))
            case .expectationFailed(let position, _):
                StandardStreams.out("MISMATCH position=\(position)")
            default:
                break
            }
            throw ApplicationError(log: error)
        }
        StandardStreams.out("ok: \(report.events) events in \(report.commits) commits, \(report.segments) segment(s), \(report.frames) frame(s), \(report.compressedBytes) bytes")
        StandardStreams.out("head position: \(report.head.position)")
        StandardStreams.out("head hash: \(report.head.hashHex)")
        StandardStreams.out("head: \(report.head.position):\(report.head.hashHex)")
        if expectHead != nil { StandardStreams.out("head hash matches the expected one") }
        if report.expectationsChecked > 0 { StandardStreams.out("\(report.expectationsChecked) recorded chain value(s) hold") }
        if let acknowledged = report.acknowledged {
            StandardStreams.out("acknowledged: the log holds every acknowledged commit (the last acknowledged at position \(acknowledged.position))")
        }
        if let torn = report.tornTail { StandardStreams.out("note: torn tail (never acknowledged): \(torn)") }
        for file in derived.unreadable { StandardStreams.out("warning: \(file) has no readable checkpoint; it was not compared with the log") }
        for warning in report.warnings { StandardStreams.out("warning: \(warning)") }
        if views { try VerifyViews.run(Store(storeOptions), log: log) }
    }
}
