import EventLog
import Foundation
import Logging
import PostgresMirror
import ServiceLifecycle

/// `teamlog serve --postgres URL`: keeps the PostgreSQL mirror caught up with the log while the server
/// runs. It syncs as soon as the durable head moves (at most one sync at a time; commits that arrive
/// meanwhile go into the next one). While PostgreSQL is down or restarting, the server keeps accepting
/// commands: the loop logs the failure once, waits longer after each failed attempt (0.1 s doubling to
/// 5 s), and catches up from PostgreSQL's checkpoints when it is back.
struct PostgresMirrorLoop: Service {
    let mirror: PostgresMirror
    let watch: HeadWatch
    let metrics: ServerMetrics
    let logger: Logger

    func run() async throws {
        defer { mirror.pool.close() }
        await cancelWhenGracefulShutdown {
            var synced: UInt64 = 0
            var failures = 0
            while !Task.isCancelled && !watch.isClosed {
                if failures == 0 {
                    _ = await watch.wait(beyond: synced, timeout: .seconds(1))
                    if watch.position <= synced { continue }
                }
                guard !Task.isCancelled, !watch.isClosed else { break }
                let mirror = self.mirror
                do {
                    let report = try await Blocking.run { () throws(MirrorError) in try mirror.sync() }
                    synced = report.head
                    metrics.mirror(position: report.head, head: watch.position, seconds: report.seconds)
                    if failures > 0 {
                        logger.info("postgres: the mirror caught up to position \(report.head) after \(failures) failed attempt(s)")
                    } else if !report.viewsCopied.isEmpty {
                        let copied = report.viewsCopied.keys.sorted().joined(separator: ", ")
                        logger.info("postgres: copied whole into \(mirror.pool.endpoint): \(copied)")
                    }
                    failures = 0
                } catch {
                    failures += 1
                    metrics.mirrorFailed()
                    if failures == 1 || failures.isMultiple(of: 60) {
                        let message = "postgres: the mirror could not sync (attempt \(failures); commands are still accepted, "
                            + "and the mirror catches up when PostgreSQL is back): \(error)"
                        logger.error("\(message)")
                    }
                    let delay = min(0.1 * pow(2, Double(min(failures - 1, 6))), 5)
                    try? await Task.sleep(for: .milliseconds(Int(delay * 1000)))
                }
            }
        }
    }
}
