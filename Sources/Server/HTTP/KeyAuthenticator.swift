import Access
import Foundation
import HTTPTypes
import Hummingbird

/// Checks the API key of every `/v1` request (`Authorization: Bearer <key>`) against the key file, which
/// it reloads when the file changes (a key added or revoked takes effect within a second, no restart).
/// A request without a key, or with a key that is unknown, malformed or revoked, is 401; nothing about
/// the key is logged or echoed.
struct KeyAuthenticator: RouterMiddleware {
    typealias Context = TeamlogRequestContext
    let ring: KeyRing
    private let reload = ReloadThrottle()

    init(ring: KeyRing) {
        self.ring = ring
    }

    /// The routes anyone may call: liveness, readiness, metrics and the API document.
    static let openPaths: Set<String> = ["/healthz", "/readyz", "/metrics", "/v1/openapi.json"]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if Self.openPaths.contains(request.uri.path) { return try await next(request, context) }
        if reload.isDue() { _ = try? ring.reloadIfChanged() }
        guard let header = request.headers[.authorization] else {
            throw Problem.unauthorized("send an API key: Authorization: Bearer <key> (teamlog keys add makes one)")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", let principal = authenticate(String(parts[1])) else {
            throw Problem.unauthorized("the API key is unknown, malformed or revoked: send a current key (teamlog keys list shows them)")
        }
        var context = context
        context.principal = principal
        return try await next(request, context)
    }

    /// The key's principal; a key not known yet may have just been added: look at the file again.
    private func authenticate(_ key: String) -> Principal? {
        if let principal = ring.authenticate(key) { return principal }
        guard (try? ring.reloadIfChanged()) == true else { return nil }
        return ring.authenticate(key)
    }
}

/// At most one key-file reload check per second.
final class ReloadThrottle: @unchecked Sendable {
    private let lock = NSLock()
    private var last = Date.distantPast

    func isDue() -> Bool {
        lock.withLock {
            let now = Date()
            guard now.timeIntervalSince(last) >= 1 else { return false }
            last = now
            return true
        }
    }
}
