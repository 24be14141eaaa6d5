import Application
import ArgumentParser
import EventLog
import Foundation
import PostgresMirror

/// `--url URL`: the PostgreSQL database a mirror lives in (else `$TEAMLOG_POSTGRES_URL`, else libpq's
/// PG* environment variables).
struct PostgresOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The PostgreSQL database, as a libpq URL.",
        discussion: "postgres://user[:password]@host[:port]/database[?sslmode=require], or ?host=/socket/dir for a unix socket. "
            + "Default: $TEAMLOG_POSTGRES_URL, else PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE and PGSSLMODE.",
        valueName: "url"))
    var url: String?

    /// The URL given, else `$TEAMLOG_POSTGRES_URL` (nil: the PG* variables alone).
    var resolvedURL: String? {
        if let url, !url.isEmpty { return url }
        return ProcessInfo.processInfo.environment["TEAMLOG_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    func endpoint() throws(ApplicationError) -> PostgresEndpoint {
        do throws(MirrorError) { return try PostgresEndpoint(url: resolvedURL) } catch { throw ApplicationError(mirror: error) }
    }

    /// The store's log, read-only, and its mirror in this database (the caller closes `mirror.pool`).
    func mirror(of store: Store) throws(ApplicationError) -> (EventLog, PostgresMirror) {
        let log = try store.openForReading()
        return (log, PostgresMirror(storeDirectory: store.directory, log: log, pool: try pool()))
    }

    func pool() throws(ApplicationError) -> PostgresPool {
        let endpoint = try endpoint()
        do throws(MirrorError) { return try PostgresPool(endpoint: endpoint) } catch { throw ApplicationError(mirror: error) }
    }
}

extension ApplicationError {
    /// The mirror's errors: an unreachable or restarting PostgreSQL and a held sync lock are worth a
    /// retry (75), a bad URL is a usage error (64), a database of another store or a view that no longer
    /// equals the log is damage (65); the log's and the views' own errors keep their classes.
    init(mirror error: MirrorError) {
        switch error {
        case .invalidURL: self = ApplicationError(.usage, error.description)
        case .busy: self = ApplicationError(.temporary, error.description)
        case .unreachable: self = ApplicationError(.temporary, error.description)
        case .server where error.isTransient: self = ApplicationError(.temporary, error.description)
        case .server, .refused: self = ApplicationError(.failure, error.description)
        case .otherStore, .diverged: self = ApplicationError(.damaged, error.description)
        case .log(let log): self = ApplicationError(log: log)
        case .projection(let projection): self = ApplicationError(projection: projection)
        case .storage: self = ApplicationError(.ioError, error.description)
        }
    }
}
