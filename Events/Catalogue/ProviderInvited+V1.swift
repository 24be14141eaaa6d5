extension ProviderInvitedV1 {
    /// v1 -> v2: `inviter` is renamed `invitedBy`; there is no team.
    public func upcast() -> ProviderInvited {
        ProviderInvited(email: email, invitationId: invitationId, invitedBy: inviter, teamId: nil, token: token)
    }
}
