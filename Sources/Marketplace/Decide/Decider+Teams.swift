import EventLog
import Events

extension Decider {
    func createTeam(_ c: CreateTeam) throws(MarketplaceError) -> Decision {
        let creator = try actorAccount()
        guard creator.role == .buyer || creator.role == .providerCompany else {
            throw reject(.notPermitted, "only buyers and provider companies create teams: ask one to invite you to theirs")
        }
        let teamId = try newId(c.teamId, "team id") { id throws(MarketplaceError) in try state.team(id) != nil }
        try valid { () throws(CommandRejection) in try Validation.text(c.name, "team name", max: Validation.maxNameLength) }
        var decision = Decision()
        decision.add(TeamCreated(createdBy: creator.userId, name: c.name, teamId: teamId))
        decision.add(TeamMemberAdded(role: .admin, teamId: teamId, userId: creator.userId, via: .creator))
        decision.expect(StreamName.team(teamId), .noStream)
        return decision
    }

    func inviteToTeam(_ c: InviteToTeam) throws(MarketplaceError) -> Decision {
        _ = try actorAccount()
        let team = try existingTeam(c.teamId)
        guard team.isAdmin(actor) else {
            let admins = team.members.filter { $0.value == .admin }.keys.sorted().prefix(3).joined(separator: ", ")
            throw reject(.notTeamAdmin, "only the admins of team '\(c.teamId)' invite to it: ask an admin (\(admins)) to send the invitation")
        }
        let invitee: UserRecord
        var invitedEmail: String?
        switch (c.userId, c.email) {
        case (let userId?, nil):
            invitee = try existingUser(userId, "user id")
        case (nil, let email?):
            let normalized = try valid { () throws(CommandRejection) in try Validation.email(email) }
            guard let owner = try state.owner(ofEmail: normalized), let user = try state.user(owner) else {
                throw reject(.unknownUser, "no member has the address: invite the person to the network with team '\(c.teamId)' "
                    + "(InviteProviders with teamId) and they join the team when they sign up")
            }
            invitee = user
            invitedEmail = normalized
        default:
            throw reject(.invalidInput, "give either the colleague's user id or their email address, not both")
        }
        let role = c.role ?? .member
        if role == .affiliatedContractor {
            guard let owner = try state.user(team.createdBy), owner.role == .providerCompany, invitee.role == .provider else {
                throw reject(.invalidInput, "only providers join a provider company's team as affiliated contractors: invite with role \"member\"")
            }
        }
        guard team.members[invitee.userId] == nil else {
            throw reject(.alreadyTeamMember, "user '\(invitee.userId)' is already a member of team '\(c.teamId)': message them from the team room")
        }
        if let pending = team.invitations.first(where: { $0.value.userId == invitee.userId }) {
            throw reject(.alreadyInvited, "user '\(invitee.userId)' already has a pending invitation to team '\(c.teamId)' ('\(pending.key)'): wait for their answer")
        }
        let invitationId = try newId(c.invitationId, "invitation id") { id throws(MarketplaceError) in try invitationIdTaken(id) }
        return Decision(TeamInvitationSent(email: invitedEmail, invitationId: invitationId, invitedBy: actor, role: role, teamId: c.teamId, userId: invitee.userId),
                        expectingItsStreamAt: team.version)
    }

    func acceptTeamInvitation(_ c: AcceptTeamInvitation) throws(MarketplaceError) -> Decision {
        _ = try actorAccount()
        let team = try existingTeam(c.teamId)
        guard let invitation = team.invitations[c.invitationId] else {
            throw reject(.unknownInvitation, "team '\(c.teamId)' has no pending invitation '\(c.invitationId)': ask an admin to invite you")
        }
        guard invitation.userId == actor else {
            throw reject(.notPermitted, "invitation '\(c.invitationId)' is for another user: only the invited user accepts it")
        }
        return Decision(TeamMemberAdded(invitationId: c.invitationId, role: invitation.role, teamId: c.teamId, userId: actor, via: .teamInvitation),
                        expectingItsStreamAt: team.version)
    }

    func leaveTeam(_ c: LeaveTeam) throws(MarketplaceError) -> Decision {
        _ = try actorAccount()
        let team = try existingTeam(c.teamId)
        guard let role = team.members[actor] else {
            throw reject(.invalidState, "you are not a member of team '\(c.teamId)'")
        }
        if role == .admin, team.adminCount == 1, team.members.count > 1 {
            throw reject(.invalidState, "you are the last admin of team '\(c.teamId)': invite another member as admin first, then leave")
        }
        return Decision(TeamMemberLeft(teamId: c.teamId, userId: actor),
                        expectingItsStreamAt: team.version)
    }

    func removeTeamMember(_ c: RemoveTeamMember) throws(MarketplaceError) -> Decision {
        _ = try actorAccount()
        let team = try existingTeam(c.teamId)
        guard team.isAdmin(actor) else {
            throw reject(.notTeamAdmin, "only the admins of team '\(c.teamId)' remove members: ask an admin")
        }
        try valid { () throws(CommandRejection) in try Validation.id(c.userId, "user id") }
        guard c.userId != actor else {
            throw reject(.invalidInput, "to leave the team yourself, use LeaveTeam")
        }
        guard team.members[c.userId] != nil else {
            throw reject(.invalidState, "user '\(c.userId)' is not a member of team '\(c.teamId)'")
        }
        return Decision(TeamMemberRemoved(removedBy: actor, teamId: c.teamId, userId: c.userId),
                        expectingItsStreamAt: team.version)
    }

    private func existingTeam(_ teamId: String) throws(MarketplaceError) -> TeamRecord {
        try valid { () throws(CommandRejection) in try Validation.id(teamId, "team id") }
        guard let team = try state.team(teamId) else {
            throw reject(.unknownTeam, "no team has the id '\(teamId)': check the team id")
        }
        return team
    }
}
