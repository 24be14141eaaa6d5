public import Access
public import Application
public import EventLog
import Foundation
public import Projections

/// The read models behind the server: one runner, used by one thread at a time, kept caught up in the
/// background as the head moves, so a query's own catch-up (every query catches up first) has little
/// or nothing left to do. Each view's checkpoint after the last catch-up feeds the lag metric.
public final class ServedViews: @unchecked Sendable {
    private let runner: ProjectionRunner
    private let store: any EventStoreReader
    private let lock = NSLock()
    private var checkpoints: [String: UInt64] = [:]
    private var lastError: ApplicationError?

    public init(runner: ProjectionRunner, store: any EventStoreReader) {
        self.runner = runner
        self.store = store
    }

    public var viewNames: [String] { runner.viewNames }

    /// Runs `body` with the runner and the store, alone.
    public func withRunner<T>(_ body: (ProjectionRunner, any EventStoreReader) throws(ApplicationError) -> T) throws(ApplicationError) -> T {
        lock.lock(); defer { lock.unlock() }
        return try body(runner, store)
    }

    /// A query's answer if the access policy allows it to `principal` (else a 403 `Problem`): a user key's
    /// reads of team rosters, assignments and interviews are checked against the read models.
    public func answer(_ request: QueryRequest, authorizing principal: Principal, read: ReadRequest) throws -> [ResultSection] {
        lock.lock(); defer { lock.unlock() }
        let queries = ReadModelQueries(runner: runner, store: store)
        let decision: AccessDecision
        do {
            decision = try AccessPolicy.authorize(principal, read: read, lookup: ReadModelMembership(queries: queries))
        } catch let error as ProjectionError {
            throw Problem(ApplicationError(projection: error))
        }
        if case .forbidden(let reason) = decision { throw Problem.forbidden(reason) }
        do throws(ApplicationError) {
            return try request.run(on: queries)
        } catch {
            throw Problem(error)
        }
    }

    /// Catches every view up with the log now.
    public func catchUp() throws(ApplicationError) {
        try withRunner { runner, store throws(ApplicationError) in
            do throws(ProjectionError) {
                let report = try runner.catchUp(store)
                checkpoints.merge(report.checkpoints) { max($0, $1) }
                lastError = nil
            } catch {
                lastError = ApplicationError(projection: error)
                throw ApplicationError(projection: error)
            }
        }
    }

    /// Each view's checkpoint after the last background catch-up.
    public var viewCheckpoints: [String: UInt64] {
        lock.lock(); defer { lock.unlock() }
        return checkpoints
    }

    /// Why the last catch-up failed, if it did (readiness reports it).
    public var failure: ApplicationError? {
        lock.lock(); defer { lock.unlock() }
        return lastError
    }

    /// Keeps the views caught up until the watch closes: after each move of the head, at most every
    /// `interval` (many batches are caught up in one transaction under load; a query still catches its
    /// view up first, so it never answers from before its own request).
    public func keepCaughtUp(watch: HeadWatch, interval: Duration = .milliseconds(20)) async {
        var seen: UInt64 = 0
        while !watch.isClosed {
            let head = await watch.wait(beyond: seen, timeout: .seconds(5))
            if head > seen || failure != nil {
                seen = head
                _ = try? await Blocking.run { try self.catchUp() }
            }
            try? await Task.sleep(for: interval)
        }
    }

    public func close() {
        lock.lock(); defer { lock.unlock() }
        runner.close()
    }
}
