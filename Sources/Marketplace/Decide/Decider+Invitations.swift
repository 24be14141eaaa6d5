import EventLog
import Events

extension Decider {
    func inviteProviders(_ c: InviteProviders) throws(MarketplaceError) -> Decision {
        let inviter = try actorAccount()
        switch inviter.role {
        case .buyer, .provider, .affiliateManager: break
        case .providerCompany:
            throw reject(.notPermitted, "provider companies do not invite to the network: to recruit affiliated contractors, "
                + "post a private job (PostJob with visibility \"private\"), invite providers to interview, "
                + "then invite those who agree to your team by user id (InviteToTeam)")
        case .staffingManager:
            throw reject(.notPermitted, "staffing managers do not invite providers to the network: ask a buyer, a provider or an affiliate manager")
        }
        guard !c.emails.isEmpty, c.emails.count <= Validation.maxAddressesPerInvitation else {
            throw reject(.invalidInput, "give 1 to \(Validation.maxAddressesPerInvitation) email addresses")
        }
        guard let invitationIds = c.invitationIds, let secrets = c.tokens,
              invitationIds.count == c.emails.count, secrets.count == c.emails.count else {
            throw reject(.invalidInput, "give one invitation id and one token per address, or leave both out to get generated ones")
        }
        if let teamId = c.teamId {
            guard let team = try state.team(teamId) else {
                throw reject(.unknownTeam, "no team has the id '\(teamId)': check the team id, or invite without a team")
            }
            guard let role = team.members[inviter.userId] else {
                throw reject(.notPermitted, "you can invite someone into team '\(teamId)' only as one of its members: invite without a team")
            }
            if inviter.role == .buyer, role != .admin {
                throw reject(.notTeamAdmin, "a buyer invites into a team only as its admin: ask an admin of team '\(teamId)'")
            }
        }
        var decision = Decision()
        var seen = Set<String>()
        for (index, raw) in c.emails.enumerated() {
            let ordinal = index + 1
            let email = try valid { () throws(CommandRejection) in try Validation.email(raw, "address number \(ordinal)") }
            guard seen.insert(email).inserted else {
                throw reject(.invalidInput, "address number \(ordinal) repeats an earlier one: give each address once")
            }
            if try state.owner(ofEmail: email) != nil {
                throw reject(.alreadyMember, "address number \(ordinal) already belongs to a member, and an invitation to the network "
                    + "is for people who are not members yet. To work with that member, post a job and invite them to an interview "
                    + "from their profile (RequestInterview); to add them to a team, invite them to the team (InviteToTeam)")
            }
            let invitationId = try newId(invitationIds[index], "invitation id") { id throws(MarketplaceError) in
                if invitationIds[..<index].contains(id) { return true }
                return try invitationIdTaken(id)
            }
            let secret = try id(secrets[index], "token")
            guard !secret.utf8.contains(UInt8(ascii: ".")) else { throw reject(.invalidInput, "a token must not contain '.'") }
            let invitation = ProviderInvited(email: email, invitationId: invitationId, invitedBy: inviter.userId, teamId: c.teamId,
                                             token: SignupToken.make(invitationId: invitationId, secret: secret))
            decision.add(invitation)
            decision.expect(invitation.stream, .noStream)
            decision.expect(StreamName.email(email), .noStream)
        }
        return decision
    }

    func acceptInvitation(_ c: AcceptInvitation) throws(MarketplaceError) -> Decision {
        let unknown = reject(.unknownToken, "no invitation has this token: check the link in the invitation email, or ask the inviter to invite you again")
        guard let invitationId = SignupToken.invitationId(of: c.token), let invitation = try state.invitation(invitationId),
              invitation.token == c.token else { throw unknown }
        switch invitation.status {
        case .pending: break
        case .accepted: throw reject(.tokenAlreadyUsed, "this invitation was already used to sign up: sign in to that account instead")
        case .revoked: throw reject(.tokenRevoked, "the inviter revoked this invitation: ask them for a new one")
        case .expired: throw reject(.tokenExpired, "this invitation has expired: ask the inviter for a new one")
        }
        let userId = try newId(c.userId, "user id") { id throws(MarketplaceError) in try state.user(id) != nil }
        try valid { () throws(CommandRejection) in try Validation.text(c.name, "name", max: Validation.maxNameLength) }
        if try state.owner(ofEmail: invitation.email) != nil {
            throw reject(.emailTaken, "the invited address already belongs to an account: sign in to that account instead")
        }
        var decision = Decision()
        decision.add(InviteAccepted(invitationId: invitationId, userId: userId))
        decision.add(AccountRegistered(email: invitation.email, invitationId: invitationId, name: c.name, role: .provider, userId: userId))
        decision.add(EmailAddressClaimed(email: invitation.email, userId: userId))
        decision.expect(StreamName.invitation(invitationId), version: invitation.version)
        decision.expect(StreamName.user(userId), .noStream)
        decision.expect(StreamName.email(invitation.email), .noStream)
        if let inviter = try state.user(invitation.invitedBy), inviter.role == .affiliateManager {
            decision.add(AffiliateRosterJoined(affiliateManagerId: inviter.userId, invitationId: invitationId, providerId: userId))
        }
        if let teamId = invitation.teamId, let team = try state.team(teamId) {
            decision.add(TeamMemberAdded(invitationId: invitationId, role: .member, teamId: teamId, userId: userId, via: .networkInvitation))
            decision.expect(StreamName.team(teamId), version: team.version)
        }
        return decision
    }

    func revokeInvitation(_ c: RevokeInvitation) throws(MarketplaceError) -> Decision {
        _ = try actorAccount()
        let invitation = try pendingInvitation(c.invitationId)
        guard invitation.invitedBy == actor else {
            throw reject(.notPermitted, "only the person who sent an invitation can revoke it")
        }
        return Decision(InvitationRevoked(invitationId: invitation.invitationId, revokedBy: actor),
                        expectingItsStreamAt: invitation.version)
    }

    func expireInvitation(_ c: ExpireInvitation) throws(MarketplaceError) -> Decision {
        guard actor == CommandEnvelope.systemActor else {
            throw reject(.notPermitted, "invitations are expired by the system's expiry sweep (actor \"system\"); to withdraw your own invitation, revoke it (RevokeInvitation)")
        }
        let invitation = try pendingInvitation(c.invitationId)
        return Decision(InvitationExpired(invitationId: invitation.invitationId),
                        expectingItsStreamAt: invitation.version)
    }

    private func pendingInvitation(_ invitationId: String) throws(MarketplaceError) -> InvitationRecord {
        try valid { () throws(CommandRejection) in try Validation.id(invitationId, "invitation id") }
        guard let invitation = try state.invitation(invitationId) else {
            throw reject(.unknownInvitation, "no invitation has the id '\(invitationId)': check the id")
        }
        switch invitation.status {
        case .pending: return invitation
        case .accepted: throw reject(.invalidState, "the invitation was already accepted: the provider is a member now")
        case .revoked: throw reject(.invalidState, "the invitation was already revoked")
        case .expired: throw reject(.invalidState, "the invitation has already expired")
        }
    }
}

/// Signup tokens: `<invitationId>.<secret>`, so a token finds its invitation without an index.
public enum SignupToken {
    public static func make(invitationId: String, secret: String) -> String {
        invitationId + "." + secret
    }

    public static func invitationId(of token: String) -> String? {
        guard let dot = token.lastIndex(of: "."), dot != token.startIndex else { return nil }
        return String(token[..<dot])
    }
}
