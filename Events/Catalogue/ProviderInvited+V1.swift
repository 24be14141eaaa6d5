/// `ProviderInvited` as written by schema version 1 (before teams): the inviter was `inviter` and an
/// invitation could not name a team. Still in the log; read through `upcast()`.
public struct ProviderInvitedV1: FieldListed, Codable {
    public var email = ""
    public var invitationId = ""
    public var inviter = ""
    public var token = ""

    public init(email: String, invitationId: String, inviter: String, token: String) {
        self.email = email
        self.invitationId = invitationId
        self.inviter = inviter
        self.token = token
    }

    public init() {}

    public static let fields = PayloadFields<ProviderInvitedV1>([
        PayloadField("email", \.email), PayloadField("invitationId", \.invitationId),
        PayloadField("inviter", \.inviter), PayloadField("token", \.token),
    ])

    /// v1 -> v2: `inviter` is renamed `invitedBy`; there is no team.
    public func upcast() -> ProviderInvited {
        ProviderInvited(email: email, invitationId: invitationId, invitedBy: inviter, teamId: nil, token: token)
    }
}
