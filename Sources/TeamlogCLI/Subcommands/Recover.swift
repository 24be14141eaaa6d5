import Application
import ArgumentParser
import EventLog
import Foundation

/// `teamlog recover`: checks the whole log against every record of what the store acknowledged and
/// settles what it finds. Without `--accept-loss` it changes nothing when something is lost.
struct Recover: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the log against every record of what was acknowledged; with --accept-loss, cut lost or damaged commits and record the loss.",
        discussion: """
            Reads the whole log and compares it with the store's records of what it acknowledged: the file
            `acknowledged`, the sparse index, the stream and command tables, each view's and the decision
            state's checkpoint.
              - Nothing lost: records the log's end as acknowledged (for a store whose record of it is gone,
                or one made by an earlier Teamlog) and exits 0.
              - Something lost or damaged: prints what is missing and what would be cut, changes nothing,
                and exits 65.
              - With --accept-loss --reason TEXT: cuts the log after its last sound commit, removes the
                derived files that saw more (views, decision state, indexes: rebuilt from the log), and
                appends an event `$AcknowledgedLossAccepted` to the stream `$log` naming what was lost, so
                the history itself shows it.

            Examples:
              teamlog recover
              teamlog recover --accept-loss --reason "newest segment lost with disk /dev/sdb; no backup"
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Flag(help: "Cut what is lost or damaged and record the loss in the log.")
    var acceptLoss = false

    @Option(help: ArgumentHelp("Why the loss is accepted (kept in the loss record; required with --accept-loss).", valueName: "text"))
    var reason: String?

    mutating func validate() throws {
        if acceptLoss, (reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ValidationError("--accept-loss needs --reason TEXT: the loss record in the log says why it was accepted.")
        }
        if let reason, reason.utf8.count > 1_000 {
            throw ValidationError("--reason is \(reason.utf8.count) bytes long; the limit is 1000 bytes.")
        }
    }

    func run() throws {
        let store = Store(storeOptions)
        guard store.exists else { _ = try store.openForReading(); return }
        let derived = DerivedCheckpoints.read(storeDirectory: store.directory)
        let claims = derived.entries.map { ($0.source, $0.position) }
        let options = EventLogOptions(lockTimeout: store.lockTimeout)
        var outcome: RecoveryOutcome
        do throws(EventLogError) {
            outcome = try EventLog.recover(directory: store.directory, acceptLoss: false, reason: "", actor: "operator",
                                           claims: claims, options: options)
        } catch {
            throw ApplicationError(log: error)
        }
        report(outcome, derived: derived)
        if outcome.isIntact {
            StandardStreams.out("ok: nothing acknowledged is missing; the log's end is recorded as acknowledged")
            return
        }
        let stale = derived.ahead(of: outcome.held.position)
        guard acceptLoss else {
            for cut in outcome.cuts { StandardStreams.out("would cut: " + cut) }
            for entry in stale { StandardStreams.out("would remove: \(entry.source), checkpoint \(entry.position) (rebuilt from the log)") }
            throw ApplicationError(.damaged, "acknowledged data is missing or damaged; nothing was changed. Restore it from a backup, or run "
                + "`teamlog recover --accept-loss --reason TEXT` to cut the log after position \(outcome.held.position) and record the loss")
        }
        // Positions after the cut are taken again by new commits: whatever saw the old ones goes first
        // (derived, rebuilt from the log), so that no file is left describing positions the log re-uses.
        for entry in stale {
            if entry.path.hasSuffix("decisions.sqlite") {
                try? FileManager.default.removeItem(atPath: (entry.path as NSString).deletingLastPathComponent)
            } else {
                for suffix in ["", "-journal", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: entry.path + suffix) }
            }
            StandardStreams.out("removed: \(entry.source), checkpoint \(entry.position) (rebuilt from the log on next use)")
        }
        do throws(EventLogError) {
            outcome = try EventLog.recover(directory: store.directory, acceptLoss: true, reason: reason ?? "", actor: "operator",
                                           claims: claims, options: options)
        } catch {
            throw ApplicationError(log: error)
        }
        for cut in outcome.cuts { StandardStreams.out("cut: " + cut) }
        StandardStreams.out("recorded: the loss is event \(LogLossRecord.eventType) at position \(outcome.lossRecordPosition ?? 0) "
            + "in stream \(LogLossRecord.stream); `teamlog log --stream '\(LogLossRecord.stream)' --show-payload` shows it")
    }

    private func report(_ outcome: RecoveryOutcome, derived: DerivedCheckpoints) {
        StandardStreams.out("the log holds positions 1–\(outcome.held.position) (\(outcome.held.commits) commits), sound; "
            + "chain value there: \(outcome.held.position):\(outcome.held.hashHex)")
        for note in outcome.notes { StandardStreams.out("note: \(note)") }
        for file in derived.unreadable { StandardStreams.out("note: \(file) has no readable checkpoint; it was not used as evidence") }
        if let loss = outcome.loss {
            let commits = loss.commitsMissing.map { " (\($0) acknowledged commit(s))" } ?? ""
            StandardStreams.out("LOST positions \(loss.logPosition + 1)–\(loss.acknowledgedPosition)\(commits): shown by \(loss.evidence)")
        }
    }
}
