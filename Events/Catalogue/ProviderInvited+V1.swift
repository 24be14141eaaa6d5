/// `ProviderInvited` as written by schema version 1 (before teams): the inviter was `inviter` and an
/// invitation could not name a team. Still in the log; read through `upcast()`.
///
/// v1 fields: `email`, `invitationId`, `inviter`, `token`.
public struct ProviderInvitedV1: Codable, Sendable, Hashable {
    public static let schemaVersion: UInt16 = 1
    public var email: String
    public var invitationId: String
    public var inviter: String
    public var token: String

    public init(email: String, invitationId: String, inviter: String, token: String) {
        self.email = email
        self.invitationId = invitationId
        self.inviter = inviter
        self.token = token
    }

    /// v1 -> v2: `inviter` is renamed `invitedBy`; there is no team.
    public func upcast() -> ProviderInvited {
        ProviderInvited(email: email, invitationId: invitationId, invitedBy: inviter, teamId: nil, token: token)
    }

    public init(reading reader: inout FlatJSONReader) throws(FlatJSONError) {
        var email: String?
        var invitationId: String?
        var inviter: String?
        var token: String?
        while try reader.nextKey() {
            if reader.isKey("email") {
                email = try reader.string("email")
            } else if reader.isKey("invitationId") {
                invitationId = try reader.string("invitationId")
            } else if reader.isKey("inviter") {
                inviter = try reader.string("inviter")
            } else if reader.isKey("token") {
                token = try reader.string("token")
            } else {
                try reader.skipValue()
            }
        }
        self.init(
            email: try FlatJSONReader.required(email, "email"),
            invitationId: try FlatJSONReader.required(invitationId, "invitationId"),
            inviter: try FlatJSONReader.required(inviter, "inviter"),
            token: try FlatJSONReader.required(token, "token")
        )
    }

    public func write(to writer: inout FlatJSONWriter) {
        writer.field("email", email)
        writer.field("invitationId", invitationId)
        writer.field("inviter", inviter)
        writer.field("token", token)
    }
}
