public import Access
public import Hummingbird
import Foundation
import Logging

/// A request's context: Hummingbird's core (path parameters, logger) and the caller once authenticated.
public struct TeamlogRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Whose key the request carries (nil on the open routes: health, readiness, metrics, the API document).
    public var principal: Principal? {
        didSet { identity.keyId = principal?.keyId }
    }
    /// The key id, shared with the request log (which wraps the authentication, so that 401s are logged too).
    let identity = RequestIdentity()

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    /// The routes set their own limits on bodies (`ServerConfiguration`); this is the framework's cap above them.
    public var maxUploadSize: Int { 64 << 20 }

    /// The authenticated caller; the routes that need one are behind `KeyAuthenticator`.
    func caller() throws(Problem) -> Principal {
        guard let principal else { throw Problem.unauthorized("send an API key: Authorization: Bearer <key> (teamlog keys add makes one)") }
        return principal
    }
}

/// Who a request turned out to be, for the request log that runs around the authentication.
final class RequestIdentity: @unchecked Sendable {
    private let lock = NSLock()
    private var value: String?

    var keyId: String? {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}
