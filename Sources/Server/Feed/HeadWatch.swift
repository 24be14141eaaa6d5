import Foundation

/// The log's durable head as the server knows it, and a way to wait for it to move: the committing
/// thread advances it after each durable batch (and a poll of the log catches commits made any other
/// way); feed subscribers and the views' catch-up wait on it instead of polling.
public final class HeadWatch: @unchecked Sendable {
    private let lock = NSLock()
    private var head: UInt64
    private var closed = false
    private var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    private var nextWaiter = 0

    public init(head: UInt64) {
        self.head = head
    }

    public var position: UInt64 {
        lock.lock(); defer { lock.unlock() }
        return head
    }

    public var isClosed: Bool {
        lock.lock(); defer { lock.unlock() }
        return closed
    }

    /// Moves the head forward (never back) and wakes every waiter.
    public func advance(to position: UInt64) {
        lock.lock()
        guard position > head else { lock.unlock(); return }
        head = position
        let woken = waiters
        waiters = [:]
        lock.unlock()
        for waiter in woken.values { waiter.resume() }
    }

    /// Wakes every waiter for good (the server is shutting down).
    public func close() {
        lock.lock()
        closed = true
        let woken = waiters
        waiters = [:]
        lock.unlock()
        for waiter in woken.values { waiter.resume() }
    }

    /// Returns once the head is beyond `position`, the watch is closed, `timeout` has passed or the task is
    /// cancelled; returns the head then.
    public func wait(beyond position: UInt64, timeout: Duration) async -> UInt64 {
        if self.position > position || isClosed { return self.position }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.waitForAdvance(beyond: position) }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
        }
        return self.position
    }

    private func waitForAdvance(beyond position: UInt64) async {
        let id = lock.withLock {
            nextWaiter += 1
            return nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                lock.lock()
                if head > position || closed || Task.isCancelled {
                    lock.unlock()
                    continuation.resume()
                    return
                }
                waiters[id] = continuation
                lock.unlock()
            }
        } onCancel: {
            lock.lock()
            let waiter = waiters.removeValue(forKey: id)
            lock.unlock()
            waiter?.resume()
        }
    }
}
