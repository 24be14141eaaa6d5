/// When a deferred or unreachable email is tried again: `base` seconds after the first failed attempt, doubling with
/// each further one, never more than `maximum`. Retries go on until the email is sent, refused for good,
/// or cancelled: nothing is dropped.
public struct RetrySchedule: Sendable, Hashable {
    public var baseSeconds: Int
    public var maximumSeconds: Int

    public init(baseSeconds: Int = 60, maximumSeconds: Int = 3_600) {
        self.baseSeconds = max(0, baseSeconds)
        self.maximumSeconds = max(self.baseSeconds, maximumSeconds)
    }

    /// The delay after failed attempt number `attempt` (1 for the first).
    public func delaySeconds(afterAttempt attempt: Int) -> Int {
        var delay = baseSeconds
        for _ in 1..<max(1, min(attempt, 40)) {
            delay = min(maximumSeconds, delay * 2)
            if delay == maximumSeconds { break }
        }
        return min(delay, maximumSeconds)
    }
}
