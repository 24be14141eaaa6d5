public import Foundation

/// One key as the key file holds it: never the secret, only its SHA-256.
public struct KeyRecord: Sendable, Hashable {
    public var keyId: String
    public var actor: String
    public var role: Role
    /// SHA-256 of the key's secret (32 bytes). Not public: nothing prints it.
    var secretHash: [UInt8]
    public var createdAt: Date
    public var revokedAt: Date?

    init(keyId: String, actor: String, role: Role, secretHash: [UInt8], createdAt: Date, revokedAt: Date? = nil) {
        self.keyId = keyId
        self.actor = actor
        self.role = role
        self.secretHash = secretHash
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }

    public var isRevoked: Bool { revokedAt != nil }

    public var principal: Principal { Principal(keyId: keyId, actor: actor, role: role) }

    /// Times as the key file and `keys list` write them: ISO 8601 in UTC, to the second.
    public static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: false, timeZone: TimeZone(secondsFromGMT: 0)!))
    }

    static func date(_ text: String) -> Date? {
        try? Date.ISO8601FormatStyle(includingFractionalSeconds: false, timeZone: TimeZone(secondsFromGMT: 0)!).parse(text)
    }
}
