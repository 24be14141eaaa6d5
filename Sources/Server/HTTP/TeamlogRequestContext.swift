public import Hummingbird
import Logging

/// A request's context: Hummingbird's core (path parameters, logger) and the caller once authenticated.
public struct TeamlogRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The caller's key id and actor, once the key was checked (nil on open routes).
    public var caller: Caller?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    /// The routes set their own limits on bodies (`Limits`); this is the framework's cap above them.
    public var maxUploadSize: Int { 64 << 20 }
}

/// Who is calling, as the key file says.
public struct Caller: Sendable, Hashable {
    public var keyId: String
    public var actor: String
    public var role: String
}
