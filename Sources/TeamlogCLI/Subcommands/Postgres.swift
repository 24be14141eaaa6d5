import Application
import ArgumentParser
import EventLog
import Foundation
import PostgresMirror
import Projections

/// `teamlog pg sync|status`: the read models and the log mirrored into PostgreSQL (README.md, "Past one machine").
struct Postgres: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pg",
        abstract: "Mirror the read models and the log into PostgreSQL: sync once, or show where the mirror stands.",
        discussion: """
            PostgreSQL holds derived data only: the log on this machine stays the source of
            truth, and everything in PostgreSQL can be copied anew from it. Each view is
            served from the schema teamlog_<view> (its version in teamlog.views), the log
            from teamlog.events. `teamlog serve --postgres URL` keeps the mirror caught up.

            Examples:
              teamlog pg sync --url postgres://teamlog@db.example.com/teamlog
              teamlog pg status --url 'postgres:///teamlog?host=/run/postgresql' --format json
            """,
        subcommands: [Sync.self, Status.self])

    struct Sync: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Catch PostgreSQL up to the log's head once: the events, then every view.",
            discussion: """
                A view PostgreSQL lacks at this schema version is built beside the old one and
                swapped in within one transaction; the others get the batches they miss, each
                with its checkpoint in the same transaction. A sync killed at any instant
                resumes where PostgreSQL's checkpoints stand: no event is applied twice.
                Exit 75 when PostgreSQL cannot be reached within --retry-for seconds.
                """)

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var postgres: PostgresOptions

        @Option(help: ArgumentHelp("Keep retrying an unreachable or restarting PostgreSQL this many seconds.", valueName: "seconds"))
        var retryFor: Double = 30

        @Flag(help: "Project every view anew from the log and copy it whole (when a view no longer equals the log).")
        var recopy = false

        @Option(help: "table (default) or json.")
        var format: ReportFormat = .table

        func validate() throws {
            guard retryFor >= 0, retryFor.isFinite else { throw ValidationError("--retry-for must be zero or more seconds.") }
        }

        func run() throws {
            let store = Store(storeOptions)
            let (_, mirror) = try postgres.mirror(of: store)
            defer { mirror.pool.close() }
            let report: PostgresMirror.SyncReport
            do throws(MirrorError) {
                report = try mirror.sync(recopy: recopy, retryFor: retryFor) { error, delay in
                    StandardStreams.err("teamlog: \(error.description); retrying in \(String(format: "%.1f", delay)) s")
                }
            } catch {
                throw ApplicationError(mirror: error)
            }
            switch format {
            case .json: StandardStreams.out(Self.json(report, endpoint: mirror.pool.endpoint))
            case .table: Self.lines(report, endpoint: mirror.pool.endpoint).forEach(StandardStreams.out)
            }
        }

        static func lines(_ report: PostgresMirror.SyncReport, endpoint: PostgresEndpoint) -> [String] {
            var lines = ["mirrored to \(endpoint): log head \(report.head), \(report.eventsCopied) new event(s) in teamlog.events"]
            for (view, checkpoint) in report.checkpoints.sorted(by: { $0.key < $1.key }) {
                let how = report.viewsCopied[view].map { "copied whole (\($0) rows)" } ?? "caught up"
                lines.append("view \(view): \(how), checkpoint \(checkpoint)")
            }
            lines.append("\(report.batches) incremental batch(es), \(report.rows) row change(s), "
                         + String(format: "%.2f s", report.seconds))
            return lines
        }

        static func json(_ report: PostgresMirror.SyncReport, endpoint: PostgresEndpoint) -> String {
            JSONText.object([
                ("endpoint", JSONText.string(endpoint.description)), ("head", String(report.head)),
                ("eventsCopied", String(report.eventsCopied)),
                ("views", JSONText.array(report.checkpoints.sorted(by: { $0.key < $1.key }).map { view, checkpoint in
                    JSONText.object([("name", JSONText.string(view)), ("checkpoint", String(checkpoint)),
                                     ("copiedRows", report.viewsCopied[view].map(String.init) ?? "null")])
                })),
                ("batches", String(report.batches)), ("rows", String(report.rows)),
                ("seconds", String(format: "%.3f", report.seconds)),
            ])
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show each view's schema, checkpoint, lag and fingerprint in PostgreSQL, beside the store's own views.",
            discussion: """
                A fingerprint is computed over PostgreSQL's rows with the same canonical row
                bytes as `teamlog status` computes over SQLite's: where a view's checkpoints
                are equal in both engines, so are its fingerprints. Exit 65 when they are not
                (then `teamlog pg sync --recopy`).
                """)

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var postgres: PostgresOptions

        @Option(help: "table (default) or json.")
        var format: ReportFormat = .table

        func run() throws {
            let store = Store(storeOptions)
            let (log, mirror) = try postgres.mirror(of: store)
            defer { mirror.pool.close() }
            let status: PostgresMirror.Status
            do throws(MirrorError) { status = try mirror.status() } catch { throw ApplicationError(mirror: error) }
            let runner = try store.openRunner()
            defer { runner.close() }
            let local: [ViewStatus]
            do throws(ProjectionError) { local = try runner.status(log) } catch { throw ApplicationError(projection: error) }
            let rows = status.views.map { view in Comparison(view: view, local: local.first(where: { $0.name == view.name })) }
            switch format {
            case .json: StandardStreams.out(Self.json(status, rows))
            case .table: Self.lines(status, rows).forEach(StandardStreams.out)
            }
            let differing = rows.filter { $0.equal == false }.map(\.view.name)
            guard differing.isEmpty else {
                throw ApplicationError(.damaged, "\(differing.joined(separator: ", ")): PostgreSQL's rows differ from the store's view at the "
                    + "same checkpoint. The log is the source of truth: `teamlog pg sync --recopy` copies every view anew from it.")
            }
        }

        /// One view in PostgreSQL beside the store's own view.
        struct Comparison {
            var view: PostgresMirror.MirroredView
            var local: ViewStatus?

            /// Whether the fingerprints are equal (nil: not comparable, the checkpoints differ or one is missing).
            var equal: Bool? {
                guard let local, let checkpoint = view.checkpoint, checkpoint == local.checkpoint,
                      let mine = view.fingerprint, let theirs = local.fingerprint else { return nil }
                return mine == theirs
            }
        }

        static func lines(_ status: PostgresMirror.Status, _ rows: [Comparison]) -> [String] {
            var lines = ["postgres: \(status.endpoint)" + (status.storeId.map { " (store \($0))" } ?? " (no mirror yet: run `teamlog pg sync`)"),
                         "log head: position \(status.logHead); teamlog.events up to \(status.eventsHead)", ""]
            let cells = rows.map(cells)
            lines += TableText.lines(columns: ["view", "schema", "checkpoint", "lag", "fingerprint", "sqlite checkpoint", "fingerprints"],
                                     cells: cells)
            return lines
        }

        private static func cells(_ row: Comparison) -> [String] {
            let view = row.view
            let checkpoint: String = view.checkpoint.map { String($0) } ?? "-"
            let lag: String = view.lag.map { String($0) } ?? "-"
            let fingerprint: String = view.fingerprint.map { String($0.prefix(16)) } ?? ""
            let local: String = row.local.map { String($0.checkpoint) } ?? "-"
            let equal: String = row.equal.map { $0 ? "equal" : "DIFFERENT" } ?? "-"
            return [view.name, view.schema ?? "-", checkpoint, lag, fingerprint, local, equal]
        }

        static func json(_ status: PostgresMirror.Status, _ rows: [Comparison]) -> String {
            JSONText.object([
                ("endpoint", JSONText.string(status.endpoint)), ("storeId", status.storeId.map(JSONText.string) ?? "null"),
                ("logHead", String(status.logHead)), ("eventsHead", String(status.eventsHead)),
                ("views", JSONText.array(rows.map(viewJSON))),
            ])
        }

        private static func viewJSON(_ row: Comparison) -> String {
            let view = row.view
            let pairs: [(String, String)] = [
                ("name", JSONText.string(view.name)), ("schemaVersion", String(view.schemaVersion)),
                ("schema", view.schema.map(JSONText.string) ?? "null"),
                ("postgresSchemaVersion", view.postgresSchemaVersion.map(String.init) ?? "null"),
                ("checkpoint", view.checkpoint.map(String.init) ?? "null"),
                ("lag", view.lag.map(String.init) ?? "null"),
                ("fingerprint", view.fingerprint.map(JSONText.string) ?? "null"),
                ("sqliteCheckpoint", row.local.map { String($0.checkpoint) } ?? "null"),
                ("sqliteFingerprint", row.local?.fingerprint.map(JSONText.string) ?? "null"),
                ("fingerprintsEqual", row.equal.map { $0 ? "true" : "false" } ?? "null"),
            ]
            return JSONText.object(pairs)
        }
    }
}
