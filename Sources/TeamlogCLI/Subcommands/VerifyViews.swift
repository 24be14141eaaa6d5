import Application
import EventLog
import Projections

/// `teamlog verify --views`: each view against the log's re-projection at the view's checkpoint
/// (`ProjectionRunner.verifyViews`), one line per view; exits 65 naming the views that differ.
enum VerifyViews {
    static func run(_ store: Store, log: EventLog) throws(ApplicationError) {
        let progress = ProgressBar("verify views")
        let runner = try store.openRunner(progress: ViewProgress.callback(progress))
        defer { runner.close() }
        let report: ViewsVerificationReport
        do throws(ProjectionError) {
            report = try runner.verifyViews(log)
            progress.finish()
        } catch {
            progress.finish()
            throw ApplicationError(projection: error)
        }
        for view in report.views { StandardStreams.out(line(view, head: report.logHead)) }
        let damaged = report.damaged.map(\.view)
        guard damaged.isEmpty else {
            throw ApplicationError(.damaged, "\(damaged.count) view(s) do not equal the log: \(damaged.joined(separator: ", ")). "
                           + "The log is the source of truth: `teamlog rebuild \(damaged.joined(separator: " "))` rebuilds "
                           + (damaged.count == 1 ? "it" : "them") + " from the log.")
        }
        StandardStreams.out("views ok: \(report.views.count) view(s) checked against the log (\(report.eventsRead) events re-projected)")
    }

    static func line(_ view: ViewVerification, head: UInt64) -> String {
        switch view.verdict {
        case .matches:
            return "view \(view.view): ok at checkpoint \(view.checkpoint), fingerprint \(view.viewFingerprint ?? "?")"
        case .differs:
            let what = view.differences.map(\.rawValue).joined(separator: ", ")
            return "view \(view.view): DIFFERS at checkpoint \(view.checkpoint) (\(what)): view fingerprint \(view.viewFingerprint ?? "none"), "
                + "log fingerprint \(view.logFingerprint ?? "none")"
                + (view.differences.contains(.storedFingerprint) ? ", stored fingerprint \(view.storedFingerprint ?? "none")" : "")
        case .aheadOfLog:
            return "view \(view.view): AHEAD OF THE LOG at checkpoint \(view.checkpoint), log head \(head) "
                + "(\(view.checkpoint - head) events the log no longer holds)"
        case .notChecked(let reason):
            return "view \(view.view): not checked: \(reason)"
        }
    }
}
