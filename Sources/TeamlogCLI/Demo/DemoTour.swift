import Application
import EventLog
import Projections

/// What `teamlog demo` prints after loading its history: status, a few views, the audit trail, the head hash.
struct DemoTour {
    let store: Store

    func print() throws(ApplicationError) {
        let log = try store.openForReading()
        let bar = ProgressBar("catch-up")
        let runner = try store.openRunner(progress: ViewProgress.callback(bar))
        defer { runner.close() }
        let queries = ReadModelQueries(runner: runner, store: log)
        do throws(ProjectionError) {
            try runner.catchUp(log)
            bar.finish()
            heading("Status: the log head and each view's checkpoint  (teamlog status)")
            let head = try log.headForTour()
            out("log head: position \(head.position), \(head.commits) commits")
            let cells = try runner.status(log).map { [$0.name, String($0.schemaVersion), String($0.checkpoint), $0.lag.map(String.init) ?? "?"] }
            TableText.lines(columns: ["view", "schema", "checkpoint", "lag"], cells: cells).forEach(out)

            heading("Sam's inbox: the interview invitation and his reply  (teamlog query inbox u-sam)")
            let inbox = try queries.inbox(user: "u-sam")
            show([ResultSection("threads", inbox.threads), ResultSection("messages", inbox.messages)])

            heading("Acme's team roster and mailing list  (teamlog query team-roster t-acme)")
            show([ResultSection("members", try queries.teamRoster(team: "t-acme")),
                  ResultSection("mailing_list", try queries.teamMailingList(team: "t-acme"))])

            heading("Bob's team room: Kim joined through his invitation  (teamlog query team-roster t-bob)")
            show([ResultSection("members", try queries.teamRoster(team: "t-bob")),
                  ResultSection("mailing_list", try queries.teamMailingList(team: "t-bob"))])

            heading("Amy's affiliate roster  (teamlog query affiliate-roster u-amy)")
            show([ResultSection("roster", try queries.affiliateRoster(manager: "u-amy"))])

            heading("The assignment's parties  (teamlog query assignment a-1)")
            show([ResultSection("parties", try queries.assignment("a-1").parties)])

            heading("Busiest teams over the generated history  (teamlog sql ...)")
            show([ResultSection("result", try queries.sql(
                "SELECT team_id, count(*) AS members FROM team_members WHERE status = 'active' GROUP BY team_id ORDER BY members DESC, team_id LIMIT 5"))])
        } catch {
            bar.finish()
            throw ApplicationError(projection: error)
        }
        heading("The audit trail: Acme's team  (teamlog log --stream team-t-acme)")
        let trail = try AuditLog.read(log, from: 1, filter: EventFilter(streams: ["team-t-acme"]), last: 10)
        AuditPrinter(format: .table, showPayload: false).lines(trail).forEach(out)

        heading("Verify: every checksum and the hash chain  (teamlog verify)")
        do throws(EventLogError) {
            let report = try log.verify()
            out("ok: \(report.events) events in \(report.commits) commits")
            out("head hash: \(report.head.hashHex)")
        } catch {
            throw ApplicationError(log: error)
        }
    }

    private func heading(_ title: String) {
        out("")
        out("== \(title)")
    }

    private func show(_ sections: [ResultSection]) {
        ResultRenderer.lines(sections, format: .table).forEach(out)
    }

    private func out(_ line: String) {
        StandardStreams.out(line)
    }
}

extension EventLog {
    fileprivate func headForTour() throws(ProjectionError) -> LogHead {
        do throws(EventLogError) { return try head() } catch { throw .log(error) }
    }
}
