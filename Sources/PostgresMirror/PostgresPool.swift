import Dispatch
import Logging
import NIOCore
import NIOPosix
import NIOSSL
public import PostgresNIO
import Synchronization

/// A small pool of PostgreSQL connections for blocking callers (the projection runner's view threads,
/// the CLI's main thread): `withConnection` runs an async body on a connection and waits for it.
///
/// A connection that fails is closed, not returned: the next call connects anew. Retrying with backoff
/// after PostgreSQL goes away is the caller's (`PostgresMirror.sync(retryFor:)`): a failed step has rolled
/// back on both sides, so running it again is safe. Credentials are never logged: the driver's logger
/// discards everything.
public final class PostgresPool: Sendable {
    public let endpoint: PostgresEndpoint
    private let configuration: PostgresConnection.Configuration
    private let idle = Mutex<[PostgresConnection]>([])
    private let nextId = Atomic<Int>(1)
    static let logger = Logger(label: "teamlog.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

    public init(endpoint: PostgresEndpoint, connectTimeout: Int64 = 10) throws(MirrorError) {
        self.endpoint = endpoint
        var configuration: PostgresConnection.Configuration
        switch endpoint.address {
        case .unixSocket(let path):
            configuration = .init(unixSocketPath: path, username: endpoint.user, password: endpoint.password,
                                  database: endpoint.database)
        case .tcp(let host, let port):
            let tls: PostgresConnection.Configuration.TLS
            do {
                switch endpoint.tls {
                case .disable: tls = .disable
                case .prefer, .require:
                    // libpq's prefer and require encrypt without checking the certificate; verify-full checks it.
                    var settings = TLSConfiguration.makeClientConfiguration()
                    settings.certificateVerification = .none
                    let context = try NIOSSLContext(configuration: settings)
                    tls = endpoint.tls == .prefer ? .prefer(context) : .require(context)
                case .verifyFull:
                    var settings = TLSConfiguration.makeClientConfiguration()
                    if let rootCertificate = endpoint.rootCertificate { settings.trustRoots = .file(rootCertificate) }
                    tls = .require(try NIOSSLContext(configuration: settings))
                }
            } catch {
                throw .refused(endpoint: endpoint.description, reason: "TLS could not be set up: \(error)")
            }
            configuration = .init(host: host, port: port, username: endpoint.user, password: endpoint.password,
                                  database: endpoint.database, tls: tls)
        }
        configuration.options.connectTimeout = .seconds(connectTimeout)
        self.configuration = configuration
    }

    /// Runs `body` on a connection of the pool (made when none is idle) and waits for it. Must not be
    /// called from a task of Swift's cooperative pool: it blocks the calling thread.
    public func withConnection<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) throws(MirrorError) -> T {
        let endpoint = endpoint
        let result: Result<T, MirrorError> = Self.wait {
            let connection: PostgresConnection
            do {
                connection = try await self.take()
            } catch {
                return .failure(MirrorError.postgres(error, endpoint: endpoint))
            }
            do {
                let value = try await body(connection)
                self.giveBack(connection)
                return .success(value)
            } catch {
                try? await connection.close()
                return .failure(MirrorError.postgres(error, endpoint: endpoint))
            }
        }
        return try result.get()
    }

    /// Runs `body` with one connection held for all its steps (a transaction that spans several blocking
    /// calls, a COPY fed from a SQLite statement a chunk at a time). A session that failed closes its
    /// connection.
    public func withSession<T>(_ body: (PostgresSession) throws -> T) throws(MirrorError) -> T {
        let taken: Result<PostgresConnection, MirrorError> = Self.wait {
            do { return .success(try await self.take()) } catch { return .failure(MirrorError.postgres(error, endpoint: self.endpoint)) }
        }
        let connection = try taken.get()
        let session = PostgresSession(connection: connection, endpoint: endpoint)
        do {
            let value = try body(session)
            giveBack(connection)
            return value
        } catch {
            _ = Self.wait { try? await connection.close(); return true }
            throw MirrorError.postgres(error, endpoint: endpoint)
        }
    }

    /// Closes the idle connections.
    public func close() {
        let connections = idle.withLock { all in
            defer { all = [] }
            return all
        }
        guard !connections.isEmpty else { return }
        _ = Self.wait {
            for connection in connections { try? await connection.close() }
            return true
        }
    }

    deinit { close() }

    private func take() async throws -> PostgresConnection {
        while let connection = idle.withLock({ $0.popLast() }) {
            if !connection.isClosed { return connection }
        }
        let id = nextId.add(1, ordering: .relaxed).oldValue
        return try await PostgresConnection.connect(configuration: configuration, id: id, logger: Self.logger)
    }

    private func giveBack(_ connection: PostgresConnection) {
        guard !connection.isClosed else { return }
        idle.withLock { $0.append(connection) }
    }

    /// Runs `body` as a task and blocks the calling thread until it ends.
    static func wait<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
        let done = DispatchSemaphore(value: 0)
        let box = Mutex<T?>(nil)
        Task.detached {
            let value = await body()
            box.withLock { $0 = value }
            done.signal()
        }
        done.wait()
        guard let value = box.withLock({ $0 }) else { preconditionFailure("the task signalled before it set its value") }
        return value
    }
}

/// One connection of a pool, held by `PostgresPool.withSession`, for blocking steps.
public final class PostgresSession: Sendable {
    public let connection: PostgresConnection
    let endpoint: PostgresEndpoint

    init(connection: PostgresConnection, endpoint: PostgresEndpoint) {
        self.connection = connection
        self.endpoint = endpoint
    }

    /// Runs `body` on the session's connection and waits for it.
    public func run<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) throws(MirrorError) -> T {
        let connection = connection
        let endpoint = endpoint
        let result: Result<T, MirrorError> = PostgresPool.wait {
            do { return .success(try await body(connection)) } catch { return .failure(MirrorError.postgres(error, endpoint: endpoint)) }
        }
        return try result.get()
    }

    /// Runs statements that return no rows (one simple query each).
    public func execute(_ statements: [String]) throws(MirrorError) {
        try run { connection in
            for statement in statements { try await connection.execute(statement) }
        }
    }

    public func execute(_ statement: String) throws(MirrorError) { try execute([statement]) }
}

extension PostgresConnection {
    /// Runs a statement whose rows, if any, are discarded.
    func execute(_ sql: String, _ binds: PostgresBindings = PostgresBindings()) async throws {
        let rows = try await query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: PostgresPool.logger)
        for try await _ in rows {}
    }

    /// Runs a query and collects its rows.
    func rows(_ sql: String, _ binds: PostgresBindings = PostgresBindings()) async throws -> [PostgresRow] {
        let rows = try await query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: PostgresPool.logger)
        var all: [PostgresRow] = []
        for try await row in rows { all.append(row) }
        return all
    }

    /// `COPY "table" (columns) FROM STDIN` with `data` (COPY text), into the first schema on the search path.
    func copy(into table: String, columns: [String], data: ByteBuffer) async throws {
        try await copyFrom(table: table, columns: columns, logger: PostgresPool.logger) { writer in
            try await writer.write(data)
        }
    }
}
