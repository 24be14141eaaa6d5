public import Application
import Access
import EventLog
import Foundation
import Hummingbird
import HummingbirdCore
public import Logging
import Mail
import Marketplace
import NIOCore
import PostgresMirror
import Projections
import ServiceLifecycle
import UnixSignals

/// `teamlog serve`: the store's only writer while it runs, serving the application layer over HTTP.
///
/// Opening takes the store's write lock and catches the decision state and the views up; `run` serves
/// until SIGTERM or SIGINT, then shuts down gracefully: it stops accepting connections, ends the feeds,
/// finishes the requests in flight (each command answered only once durable), writes what is queued,
/// checkpoints the decision state and releases the lock.
public final class TeamlogServer: Sendable {
    public var configuration: ServerConfiguration { services.configuration }
    let market: Marketplace
    let gateway: CommandGateway
    /// What the routes work with (the log, the views, the head watch, the metrics…).
    let services: ServerServices
    let keys: KeyRing
    let logger: Logger
    /// The outbox's delivery loop, when the server sends invitation emails (it holds the store's mail lock).
    let mailLoop: MailDeliveryLoop?
    /// The PostgreSQL mirror's sync loop, when the server keeps one (`--postgres`).
    let mirrorLoop: PostgresMirrorLoop?

    public init(configuration: ServerConfiguration, logger: Logger = Logger(label: "teamlog.serve")) throws(ApplicationError) {
        self.logger = logger
        let directory = configuration.storeDirectory
        let log: EventLog
        do throws(EventLogError) {
            log = try EventLog.open(directory: directory, options: EventLogOptions(lockTimeout: 0))
        } catch {
            throw ApplicationError(log: error)
        }
        let market: Marketplace
        do throws(MarketplaceError) {
            market = try Marketplace.open(store: log, storeDirectory: directory)
            try market.catchUp()
        } catch {
            throw ApplicationError(market: error)
        }
        let runner: ProjectionRunner
        do throws(ProjectionError) {
            runner = try ProjectionRunner(storeDirectory: directory)
        } catch {
            throw ApplicationError(projection: error)
        }
        let ids = try CommandIdGuard.open(storeDirectory: directory, log: log)
        if let recovery = ids.registry.recovery { logger.warning("\(recovery)") }
        do throws(KeyFileError) {
            keys = try KeyRing(path: configuration.keysFile)
        } catch {
            throw ApplicationError(.usage, error.description)
        }
        let metrics = ServerMetrics()
        market.durableWriteObserver = { seconds in metrics.durableWrite(seconds: seconds) }
        let watch = HeadWatch(head: market.position)
        let gateway = CommandGateway(market: market) { report in
            metrics.batch(commands: report.commands, seconds: report.seconds, head: report.durableHead)
            watch.advance(to: report.durableHead)
        }
        let views = ServedViews(runner: runner, store: log)
        self.market = market
        self.gateway = gateway
        services = ServerServices(
            configuration: configuration, log: log,
            commands: CommandService(gateway: gateway, ids: ids, metrics: metrics),
            views: views,
            feed: EventFeed(store: log, watch: watch, heartbeat: .seconds(configuration.heartbeatSeconds), metrics: metrics),
            watch: watch, metrics: metrics)
        try views.catchUp()
        if let setup = configuration.mailDelivery {
            let lock = try MailLock.take(storeDirectory: directory)
            mailLoop = MailDeliveryLoop(
                delivery: OutboxDelivery(ledger: ServerDeliveryLedger(views: views, gateway: gateway), transport: setup.transport,
                                         settings: setup.settings, retry: setup.retry),
                lock: lock, logger: logger)
        } else {
            mailLoop = nil
        }
        if let endpoint = configuration.postgresMirror {
            let pool: PostgresPool
            do throws(MirrorError) { pool = try PostgresPool(endpoint: endpoint) } catch {
                throw ApplicationError(.usage, error.description)
            }
            mirrorLoop = PostgresMirrorLoop(mirror: PostgresMirror(storeDirectory: directory, log: log, pool: pool),
                                            watch: watch, metrics: metrics, logger: logger)
        } else {
            mirrorLoop = nil
        }
    }

    /// The router with every route (and the request log); the tests drive it directly too.
    func router() -> Router<TeamlogRequestContext> {
        let router = Router(context: TeamlogRequestContext.self)
        router.add(middleware: RequestLogMiddleware(logger: logger, metrics: services.metrics))
        router.add(middleware: ProblemMiddleware())
        router.add(middleware: KeyAuthenticator(ring: keys))
        services.addCommandRoutes(to: router)
        services.addViewRoutes(to: router)
        services.addLogRoutes(to: router)
        services.addOperationsRoutes(to: router)
        return router
    }

    /// Serves until SIGTERM or SIGINT. `onListening` gets the address once the socket is bound.
    public func run(onListening: @escaping @Sendable (String) -> Void = { _ in }) async throws {
        gateway.start()
        defer { shutDown() }
        let configuration = self.configuration
        let http1 = HTTP1Channel.Configuration(
            additionalChannelHandlers: [RequestDeadlineHandler(headTimeout: .seconds(configuration.headTimeoutSeconds),
                                                               requestTimeout: .seconds(configuration.requestTimeoutSeconds))],
            idleTimeout: .seconds(configuration.idleTimeoutSeconds),
            httpDecoderConfiguration: .init(maxHeaderFieldSize: configuration.maxHeaderBytes, maxHeaderListSize: configuration.maxHeaderBytes,
                                            maxHeaderFieldCount: 100))
        let storeDirectory = configuration.storeDirectory
        let app = Application(
            router: router(),
            server: .http1(configuration: http1),
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port), serverName: "teamlog",
                availableConnectionsDelegate: MaximumAvailableConnections(configuration.maxConnections)),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? configuration.port
                let url = "http://\(configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host):\(port)"
                ServerAdvertisement.write(url: url, storeDirectory: storeDirectory)
                onListening(url)
            },
            logger: logger)
        // Services shut down in reverse order: the background work first (closing the watch ends the
        // feeds), then the HTTP server, which waits for the requests in flight.
        var services: [any Service] = [app, BackgroundWork(views: self.services.views, watch: self.services.watch, log: self.services.log,
                                                           interval: configuration.viewCatchUpMilliseconds)]
        if let mailLoop { services.append(mailLoop) }
        if let mirrorLoop { services.append(mirrorLoop) }
        let group = ServiceGroup(configuration: .init(
            services: services,
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    /// After the HTTP server stopped: the queue written and durable, the state checkpointed, the lock released.
    private func shutDown() {
        services.watch.close()
        gateway.stop()
        try? market.checkpoint()
        services.views.close()
        ServerAdvertisement.remove(storeDirectory: configuration.storeDirectory)
        services.log.close()
    }
}

/// Work beside the HTTP server: keeping the views caught up and noticing commits made outside it. On
/// graceful shutdown it closes the head watch, which ends the feeds (so their requests finish).
struct BackgroundWork: Service {
    let views: ServedViews
    let watch: HeadWatch
    let log: EventLog
    let interval: Int

    func run() async throws {
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await views.keepCaughtUp(watch: watch, interval: .milliseconds(interval)) }
                group.addTask {
                    while !watch.isClosed {
                        try? await Task.sleep(for: .seconds(1))
                        if let head = try? log.head() { watch.advance(to: head.position) }
                    }
                }
            }
        } onGracefulShutdown: {
            watch.close()
        }
    }
}
