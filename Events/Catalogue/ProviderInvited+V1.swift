/// `ProviderInvited` as written by schema version 1 (before teams): the inviter was `inviter` and an
/// invitation could not name a team. Still in the log; read through `upcast()`.
public struct ProviderInvitedV1: FieldListed, Codable {
    public var email: String = ""
    public var invitationId: String = ""
    public var inviter: String = ""
    public var token: String = ""

    public init() {}

    public static let fields = PayloadFields(payloadFields)

    /// v1 -> v2: `inviter` is renamed `invitedBy`; there is no team.
    public func upcast() -> ProviderInvited {
        ProviderInvited(email: email, invitationId: invitationId, invitedBy: inviter, teamId: nil, token: token)
    }
}
