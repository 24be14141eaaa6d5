import Foundation

/// Group commit: concurrent appenders queue their commits; one of them (the leader) writes every
/// queued batch with one durable write, then wakes the others with their results.
final class GroupCommit: @unchecked Sendable {
    private final class Ticket {
        let commits: [ProposedCommit]
        var results: [Result<CommitResult, EventLogError>]?
        var error: EventLogError?
        init(_ commits: [ProposedCommit]) { self.commits = commits }
    }

    private let condition = NSCondition()
    private var queue: [Ticket] = []
    private var leaderActive = false
    private var closed = false

    /// Queues `commits` and returns their results once a leader has written them.
    func submit(_ commits: [ProposedCommit],
                write: ([[ProposedCommit]]) throws(EventLogError) -> [[Result<CommitResult, EventLogError>]])
        throws(EventLogError) -> [Result<CommitResult, EventLogError>] {
        let ticket = Ticket(commits)
        condition.lock()
        guard !closed else {
            condition.unlock()
            throw .notWritable("the log is closed")
        }
        queue.append(ticket)
        while ticket.results == nil && ticket.error == nil {
            if leaderActive {
                condition.wait()
                continue
            }
            leaderActive = true
            let group = queue
            queue.removeAll()
            condition.unlock()
            do throws(EventLogError) {
                let results = try write(group.map(\.commits))
                for (member, result) in zip(group, results) { member.results = result }
            } catch {
                for member in group { member.error = error }
            }
            condition.lock()
            leaderActive = false
            condition.broadcast()
        }
        condition.unlock()
        if let error = ticket.error { throw error }
        return ticket.results ?? []
    }

    /// Runs `body` while no leader is writing (for reads of the writer's state).
    func read<T>(_ body: () throws(EventLogError) -> T) throws(EventLogError) -> T {
        condition.lock()
        while leaderActive { condition.wait() }
        leaderActive = true
        condition.unlock()
        defer {
            condition.lock()
            leaderActive = false
            condition.broadcast()
            condition.unlock()
        }
        return try body()
    }

    func read<T>(_ body: () -> T) -> T {
        condition.lock()
        while leaderActive { condition.wait() }
        leaderActive = true
        condition.unlock()
        defer {
            condition.lock()
            leaderActive = false
            condition.broadcast()
            condition.unlock()
        }
        return body()
    }

    /// Waits for the current leader, runs `body` once, and refuses further submissions.
    func shutDown(_ body: () -> Void) {
        condition.lock()
        while leaderActive { condition.wait() }
        let first = !closed
        closed = true
        condition.unlock()
        if first { body() }
    }
}
