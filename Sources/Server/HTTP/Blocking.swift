import Dispatch

/// Runs blocking work (SQLite reads, log reads, fsync waits) off Swift's cooperative threads, which
/// must never block: on two cores there are only two of them, and the server's event loops share them.
enum Blocking {
    private static let queue = DispatchQueue(label: "teamlog.server.blocking", qos: .userInitiated, attributes: .concurrent)

    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                do { continuation.resume(returning: try body()) } catch { continuation.resume(throwing: error) }
            }
        }
    }
}
