import Events
import Marketplace

extension WorkloadGenerator {
    // MARK: Invitations

    mutating func inviteProviders() -> CommandEnvelope? {
        let roll = random.below(10)
        var inviter: String?
        var teamIndex: Int?
        var teamId: String?
        var isAffiliate = false
        if roll < 4 {
            // A buyer, often with their team.
            if let team = model.teams.pick(&random), !team.item.ownerIsCompany, random.chance(0.6) {
                inviter = team.item.admin
                teamIndex = team.index
                teamId = team.item.id
            } else {
                inviter = model.buyers.pick(&random)?.item
            }
        } else if roll < 7 {
            inviter = model.affiliates.pick(&random)?.item
            isAffiliate = true
        } else {
            inviter = model.providers.pick(&random)?.item
        }
        guard let inviter else { return nil }
        let count = random.chance(0.7) ? 1 : 2 + random.below(3)
        var emails: [String] = [], ids: [String] = [], secrets: [String] = []
        for _ in 0..<count {
            let id = nextId("inv")
            let secret = random.hex(16)
            emails.append(TextGenerator.email(counter, &random))
            ids.append(id)
            secrets.append(secret)
            model.invitations.add(.init(id: id, token: SignupToken.make(invitationId: id, secret: secret), inviter: inviter, inviterIsAffiliate: isAffiliate,
                                        teamIndex: teamIndex, teamId: teamId), &random)
            model.unmailedInvitations.add(.init(id: id, attempts: 0), &random)
        }
        return envelope(inviter, .inviteProviders(InviteProviders(emails: emails, teamId: teamId, invitationIds: ids, tokens: secrets)), events: count)
    }

    mutating func acceptInvitation() -> CommandEnvelope? {
        guard let picked = model.invitations.pick(&random) else { return nil }
        let invitation = model.invitations.remove(at: picked.index)
        let userId = nextId("u")
        var events = 3
        if invitation.inviterIsAffiliate { events += 1 }
        if let index = invitation.teamIndex, index < model.teams.count, model.teams.items[index].id == invitation.teamId {
            var team = model.teams.items[index]
            team.members.append(userId)
            model.teams.update(index, team)
            events += 1
        } else if invitation.teamId != nil {
            events += 1
        }
        model.providers.add(userId, &random)
        return envelope(userId, .acceptInvitation(AcceptInvitation(token: invitation.token, name: TextGenerator.name(&random), userId: userId)),
                        events: events)
    }

    mutating func endInvitation(revoke: Bool) -> CommandEnvelope? {
        guard let picked = model.invitations.pick(&random) else { return nil }
        let invitation = model.invitations.remove(at: picked.index)
        guard revoke else {
            return envelope(CommandEnvelope.systemActor, .expireInvitation(ExpireInvitation(invitationId: invitation.id)), events: 1)
        }
        return envelope(invitation.inviter, .revokeInvitation(RevokeInvitation(invitationId: invitation.id)), events: 1)
    }

    // MARK: Jobs and interviews

    mutating func postJob() -> CommandEnvelope? {
        let byCompany = random.chance(0.15)
        guard let owner = (byCompany ? model.companies : model.buyers).pick(&random)?.item else { return nil }
        let jobId = nextId("job")
        let visibility: JobVisibility = byCompany || random.chance(0.25) ? .private : .public
        let purpose: JobPurpose = byCompany ? .affiliateRecruitment : .work
        model.jobs.add(.init(id: jobId, owner: owner), &random)
        let description = TextGenerator.message(&random)
        return envelope(owner, .postJob(PostJob(jobId: jobId, title: TextGenerator.jobTitle(&random), description: description,
                                               visibility: visibility, purpose: purpose)), events: 1)
    }

    mutating func requestInterview() -> CommandEnvelope? {
        guard let job = model.jobs.pick(&random), let provider = model.providers.pick(&random)?.item,
              !job.item.invited.contains(provider), job.item.invited.count < 30 else { return nil }
        var updated = job.item
        updated.invited.append(provider)
        model.jobs.update(job.index, updated)
        let interviewId = nextId("iv"), threadId = nextId("th"), messageId = nextId("m")
        model.interviews.add(.init(id: interviewId, provider: provider), &random)
        model.threads.add(.init(id: threadId, participants: [job.item.owner, provider]), &random)
        return envelope(job.item.owner, .requestInterview(RequestInterview(jobId: job.item.id, providerId: provider,
                                                                          message: TextGenerator.message(&random), interviewId: interviewId,
                                                                          threadId: threadId, messageId: messageId)), events: 3)
    }

    mutating func answerInterview() -> CommandEnvelope? {
        guard let picked = model.interviews.pick(&random) else { return nil }
        let interview = model.interviews.remove(at: picked.index)
        if random.chance(0.75) {
            return envelope(interview.provider, .acceptInterview(AcceptInterview(interviewId: interview.id)), events: 1)
        }
        let reason: String? = random.chance(0.5) ? "I am fully booked this month, sorry." : nil
        return envelope(interview.provider, .declineInterview(DeclineInterview(interviewId: interview.id, reason: reason)), events: 1)
    }

    // MARK: Messages

    mutating func reply() -> CommandEnvelope? {
        guard let thread = model.threads.pick(&random) else { return nil }
        let sender = random.pick(thread.item.participants)
        return envelope(sender, .replyToThread(ReplyToThread(threadId: thread.item.id, body: TextGenerator.message(&random),
                                                            messageId: nextId("m"))), events: 1)
    }

    mutating func sendMessage() -> CommandEnvelope? {
        var sender: String?, recipient: String?, teamId: String?
        if random.chance(0.4), let team = model.teams.pick(&random)?.item, team.members.count >= 2 {
            sender = random.pick(team.members)
            recipient = random.pick(team.members)
            teamId = team.id
        } else {
            sender = model.buyers.pick(&random)?.item
            recipient = model.providers.pick(&random)?.item
        }
        guard let sender, let recipient, sender != recipient else { return nil }
        let threadId = nextId("th")
        model.threads.add(.init(id: threadId, participants: [sender, recipient]), &random)
        let subject = "About the \(random.pick(TextGenerator.jobNouns))"
        return envelope(sender, .sendMessage(SendMessage(recipientId: recipient, subject: subject, body: TextGenerator.message(&random),
                                                         teamId: teamId, threadId: threadId, messageId: nextId("m"))), events: 2)
    }

    mutating func shareContact() -> CommandEnvelope? {
        guard let thread = model.threads.pick(&random) else { return nil }
        let user = random.pick(thread.item.participants)
        guard !thread.item.sharedBy.contains(user) else { return nil }
        var updated = thread.item
        updated.sharedBy.append(user)
        model.threads.update(thread.index, updated)
        let command: ShareContactDetails = random.chance(0.6) && !model.unreachableBuyers.contains(user)
            ? ShareContactDetails(threadId: thread.item.id, kind: .marketplaceAddress)
            : ShareContactDetails(threadId: thread.item.id, kind: .personal, email: TextGenerator.email(counter, &random),
                                  phone: random.chance(0.5) ? "+1 555 \(1000 + random.below(9000))" : nil)
        return envelope(user, .shareContactDetails(command), events: 1)
    }

    /// The mail delivery's record of an invitation email: mostly sent at the first attempt, sometimes
    /// deferred (tried again later) or refused for good.
    mutating func deliverEmail() -> CommandEnvelope? {
        guard let picked = model.unmailedInvitations.pick(&random) else { return nil }
        var email = picked.item
        email.attempts += 1
        let messageId = "<invitation.\(email.id)@odesk.com>", relay = "smtp://127.0.0.1:25"
        let roll = random.below(20)
        let command: Command
        if roll < 17 {
            model.unmailedInvitations.remove(at: picked.index)
            command = .recordInvitationEmailSent(RecordInvitationEmailSent(invitationId: email.id, messageId: messageId,
                                                                           attempt: email.attempts, relay: relay))
        } else if roll < 19 {
            model.unmailedInvitations.update(picked.index, email)
            command = .recordInvitationEmailFailed(RecordInvitationEmailFailed(
                invitationId: email.id, messageId: messageId, attempt: email.attempts, relay: relay,
                reason: "the relay \(relay) answered RCPT with 451 4.3.0 try again later (try later)",
                retryAtMicros: 1_800_000_000_000_000 + email.attempts * 60_000_000))
        } else {
            model.unmailedInvitations.remove(at: picked.index)
            command = .recordInvitationEmailFailed(RecordInvitationEmailFailed(
                invitationId: email.id, messageId: messageId, attempt: email.attempts, relay: relay,
                reason: "the relay \(relay) refused the email at RCPT: 550 5.1.1 mailbox unavailable", retryAtMicros: nil))
        }
        return envelope(CommandEnvelope.systemActor, command, events: 1)
    }
}
