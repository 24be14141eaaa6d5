public import EventLog
public import Projections
import PostgresNIO

/// Why the PostgreSQL mirror could not do what it was asked, with what to do about it. The causes are
/// kept: PostgreSQL's SQLSTATE and message, the log's and the views' typed errors.
public enum MirrorError: Error, Sendable, CustomStringConvertible {
    /// The URL (password hidden) does not parse.
    case invalidURL(String, reason: String)
    /// PostgreSQL could not be reached (refused, reset, timed out, closed): worth retrying.
    case unreachable(endpoint: String, reason: String)
    /// The client could not go on with this server (authentication it cannot do, TLS it cannot have, a
    /// message it does not understand).
    case refused(endpoint: String, reason: String)
    /// PostgreSQL refused a statement: its SQLSTATE, message and detail.
    case server(endpoint: String, sqlState: String, message: String, detail: String?)
    /// The database mirrors another store's log.
    case otherStore(endpoint: String, databaseStore: String, logStore: String)
    /// The database holds a view at a checkpoint this store's log does not reach, or a change went
    /// missing between the view's file and PostgreSQL; a full copy replaces it.
    case diverged(view: String, postgres: UInt64, shadow: UInt64)
    /// Another `teamlog pg sync` (or `serve --postgres`) is writing this mirror.
    case busy(path: String)
    /// The log could not be read.
    case log(EventLogError)
    /// A view's shadow file could not be brought forward.
    case projection(ProjectionError)
    /// The mirror's own files (the shadow directory, its lock) failed.
    case storage(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalidURL(let url, let reason):
            return "invalid PostgreSQL URL \(url): \(reason)"
        case .unreachable(let endpoint, let reason):
            return "PostgreSQL at \(endpoint) is unreachable (\(reason)): check that it is running and accepts "
                + "connections; the log keeps every event, and the next sync catches the mirror up"
        case .refused(let endpoint, let reason):
            return "PostgreSQL at \(endpoint): \(reason)"
        case .server(let endpoint, let sqlState, let message, let detail):
            return "PostgreSQL at \(endpoint) refused a statement: \(message) (SQLSTATE \(sqlState))"
                + (detail.map { ": \($0)" } ?? "")
        case .otherStore(let endpoint, let databaseStore, let logStore):
            return "the PostgreSQL database \(endpoint) mirrors store \(databaseStore), not this store (\(logStore)): "
                + "give another database, or drop its teamlog schemas to mirror this store into it"
        case .diverged(let view, let postgres, let shadow):
            return "view \(view): PostgreSQL is at position \(postgres) but the mirror's copy is at \(shadow); "
                + "the next sync copies the whole view anew"
        case .busy(let path):
            return "another teamlog process is syncing this mirror (it holds \(path)): wait for it to finish, or stop it"
        case .log(let error):
            return "reading the log: \(error)"
        case .projection(let error):
            return "\(error)"
        case .storage(let path, let reason):
            return "\(path): \(reason)"
        }
    }

    /// Whether waiting and trying again may succeed (PostgreSQL down or restarting, a lost connection).
    public var isTransient: Bool {
        switch self {
        case .unreachable: return true
        // 57P01-57P03: admin shutdown, crash shutdown, cannot connect now; 08: connection exceptions;
        // 40001/40P01: serialization failure, deadlock.
        case .server(_, let state, _, _):
            return state.hasPrefix("57P") || state.hasPrefix("08") || state == "40001" || state == "40P01"
        default: return false
        }
    }

    /// The error of a PostgreSQL operation, kept typed: a server error with its SQLSTATE, a connection
    /// failure as `.unreachable`.
    static func postgres(_ error: any Error, endpoint: PostgresEndpoint) -> MirrorError {
        if let error = error as? MirrorError { return error }
        if let error = error as? PostgresTransactionError {
            if let cause = error.closureError ?? error.beginError ?? error.commitError {
                return postgres(cause, endpoint: endpoint)
            }
        }
        if let error = error as? PSQLError {
            if let info = error.serverInfo, let state = info[.sqlState] {
                return .server(endpoint: endpoint.description, sqlState: state, message: info[.message] ?? "\(error.code)",
                               detail: info[.detail])
            }
            switch error.code {
            case .connectionError, .serverClosedConnection, .uncleanShutdown, .clientClosedConnection, .poolClosed,
                 .sslUnsupported, .failedToAddSSLHandler:
                return .unreachable(endpoint: endpoint.description, reason: "\(error.code)" + (error.underlying.map { ": \($0)" } ?? ""))
            default:
                return .refused(endpoint: endpoint.description, reason: "\(error.code)")
            }
        }
        return .unreachable(endpoint: endpoint.description, reason: "\(error)")
    }
}
