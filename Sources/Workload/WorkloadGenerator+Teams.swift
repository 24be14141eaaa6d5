import Events
import Marketplace
import FoundationEssentials

extension WorkloadGenerator {
    mutating func createTeam() -> CommandEnvelope? {
        let byCompany = random.chance(0.3)
        guard let owner = (byCompany ? model.companies : model.buyers).pick(&random)?.item else { return nil }
        let teamId = nextId("team")
        model.teams.add(.init(id: teamId, admin: owner, ownerIsCompany: byCompany, members: [owner]), &random)
        let name = byCompany ? "\(random.pick(TextGenerator.companies)) contractors" : "\(random.pick(TextGenerator.jobNouns).capitalized) team"
        return envelope(owner, .createTeam(CreateTeam(teamId: teamId, name: name)), events: 2)
    }

    mutating func inviteToTeam() -> CommandEnvelope? {
        guard let picked = model.teams.pick(&random), let provider = model.providers.pick(&random)?.item else { return nil }
        var team = picked.item
        guard team.members.count < 40, !team.members.contains(provider), !team.pending.contains(where: { $0.userId == provider }) else { return nil }
        let invitationId = nextId("ti")
        team.pending.append((invitationId, provider))
        model.teams.update(picked.index, team)
        let role: TeamRole = team.ownerIsCompany ? .affiliatedContractor : .member
        return envelope(team.admin, .inviteToTeam(InviteToTeam(teamId: team.id, userId: provider, role: role, invitationId: invitationId)), events: 1)
    }

    mutating func acceptTeamInvitation() -> CommandEnvelope? {
        guard let picked = model.teams.pick(&random), !picked.item.pending.isEmpty else { return nil }
        var team = picked.item
        let invitation = team.pending.removeFirst()
        team.members.append(invitation.userId)
        model.teams.update(picked.index, team)
        return envelope(invitation.userId, .acceptTeamInvitation(AcceptTeamInvitation(teamId: team.id, invitationId: invitation.invitationId)), events: 1)
    }

    mutating func leaveOrRemove(remove: Bool) -> CommandEnvelope? {
        guard let picked = model.teams.pick(&random), picked.item.members.count >= 2 else { return nil }
        var team = picked.item
        let index = 1 + random.below(team.members.count - 1) // never the admin, who is first
        let member = team.members.remove(at: index)
        model.teams.update(picked.index, team)
        if remove {
            return envelope(team.admin, .removeTeamMember(RemoveTeamMember(teamId: team.id, userId: member)), events: 1)
        }
        return envelope(member, .leaveTeam(LeaveTeam(teamId: team.id)), events: 1)
    }

    // MARK: Work

    mutating func hire() -> CommandEnvelope? {
        guard let job = model.jobs.pick(&random)?.item, let provider = job.invited.last,
              let staffing = model.staffing.pick(&random)?.item else { return nil }
        let assignmentId = nextId("as")
        model.assignments.add(.init(id: assignmentId, buyer: job.owner, provider: provider, staffing: staffing), &random)
        return envelope(job.owner, .hire(Hire(jobId: job.id, providerId: provider, staffingManagerId: staffing, assignmentId: assignmentId)), events: 1)
    }

    mutating func pay() -> CommandEnvelope? {
        guard let assignment = model.assignments.pick(&random)?.item else { return nil }
        let payer = random.chance(0.8) ? assignment.buyer : assignment.staffing
        let amount = (5 + random.below(400)) * 100 + random.below(100)
        return envelope(payer, .recordPayment(RecordPayment(assignmentId: assignment.id, amountCents: amount, currency: "USD",
                                                           paymentId: nextId("pay"))), events: 1)
    }

    mutating func endAssignment() -> CommandEnvelope? {
        guard let picked = model.assignments.pick(&random) else { return nil }
        let assignment = model.assignments.remove(at: picked.index)
        let party = random.pick([assignment.buyer, assignment.provider, assignment.staffing])
        return envelope(party, .endAssignment(EndAssignment(assignmentId: assignment.id)), events: 1)
    }
}
