/// What a key may do (see `AccessPolicy`).
public enum Role: String, Sendable, Hashable, CaseIterable, Codable {
    /// Acts only as its own user; reads only what that user may see.
    case user
    /// Acts on behalf of a named user (never `system`); reads everything. The log records the operator.
    case `operator`
    /// Reads everything; writes nothing.
    case auditor
    /// The system's own key: the only one that acts as `system`; reads everything.
    case system

    /// The roles by name, for usage messages: `user, operator, auditor, system`.
    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// Who presented a key: the key's id (safe to log), the actor it stands for (a user id, or `system`)
/// and its role.
public struct Principal: Sendable, Hashable {
    public var keyId: String
    public var actor: String
    public var role: Role

    public init(keyId: String, actor: String, role: Role) {
        self.keyId = keyId
        self.actor = actor
        self.role = role
    }
}
