import ArgumentParser
import EventLog

/// `teamlog verify`: re-checks every checksum and the hash chain; prints the head hash.
struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check every checksum and the hash chain; print the head hash.",
        discussion: """
            Reads the whole log. On damage, prints the segment file, byte offset and position of the first
            bad record and exits 65. With --expect-head, also compares the head hash (recorded earlier by an
            auditor) and exits 65 when it differs.

            Examples:
              teamlog verify
              teamlog verify --expect-head 3f1c…e9
              teamlog verify --views
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: ArgumentHelp("The head hash (hex) the log must have.", valueName: "hash"))
    var expectHead: String?

    @Flag(help: "Also prove that each view equals the log: re-project the log up to each view's checkpoint and compare fingerprints.")
    var views = false

    mutating func validate() throws {
        guard let expectHead else { return }
        guard expectHead.utf8.count == 64, expectHead.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
            || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0 | 0x20) }) else {
            throw ValidationError("--expect-head takes the 64 hexadecimal digits `teamlog verify` printed as the head hash.")
        }
    }

    func run() throws {
        let log = try Store(storeOptions).openForReading()
        let progress = ProgressBar("verify")
        let report: VerificationReport
        do throws(EventLogError) {
            report = try log.verify(expectedHeadHash: expectHead) { step in
                progress.update(done: step.position, total: step.headPosition)
            }
            progress.finish()
        } catch {
            progress.finish()
            if case .corrupt(let location, _) = error {
                StandardStreams.out("DAMAGED segment=\(location.segment) offset=\(location.fileOffset) position=\(location.position)")
            }
            throw CLIError(log: error)
        }
        StandardStreams.out("ok: \(report.events) events in \(report.commits) commits, \(report.segments) segment(s), \(report.frames) frame(s), \(report.compressedBytes) bytes")
        StandardStreams.out("head position: \(report.head.position)")
        StandardStreams.out("head hash: \(report.head.hashHex)")
        if expectHead != nil { StandardStreams.out("head hash matches the expected one") }
        if let torn = report.tornTail { StandardStreams.out("note: torn tail (never acknowledged): \(torn)") }
        for warning in report.warnings { StandardStreams.out("warning: \(warning)") }
        if views { try VerifyViews.run(Store(storeOptions), log: log) }
    }
}
