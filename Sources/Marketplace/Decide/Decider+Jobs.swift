import EventLog
import Events

extension Decider {
    func postJob(_ c: PostJob) throws(MarketplaceError) -> Decision {
        let poster = try actorAccount()
        let purpose = c.purpose ?? .work
        guard poster.role == .buyer || poster.role == .providerCompany else {
            throw reject(.notPermitted, "only buyers and provider companies post jobs; as a provider, apply to jobs or wait for an interview invitation")
        }
        if purpose == .affiliateRecruitment {
            guard poster.role == .providerCompany else {
                throw reject(.notPermitted, "only provider companies recruit affiliated contractors: post the job with purpose \"work\"")
            }
            guard c.visibility == .private else {
                throw reject(.publicAffiliateRecruitment, "provider companies must not solicit affiliated contractors publicly: "
                    + "post a private job (visibility \"private\") and invite the providers to interview from their profiles; "
                    + "when one agrees to join you, ask for their user id and invite them to your team (InviteToTeam)")
            }
        }
        let jobId = try newId(c.jobId, "job id") { id throws(MarketplaceError) in try state.job(id) != nil }
        try valid { () throws(CommandRejection) in
            try Validation.text(c.title, "title", max: Validation.maxTitleLength)
            try Validation.text(c.description, "description", max: Validation.maxBodyLength)
        }
        return Decision(JobPosted(description: c.description, jobId: jobId, postedBy: poster.userId, purpose: purpose, title: c.title,
                                  visibility: c.visibility),
                        expectingItsStream: .noStream)
    }

    func requestInterview(_ c: RequestInterview) throws(MarketplaceError) -> Decision {
        _ = try actorAccount()
        try requireActorPosted(job: c.jobId, onlyItsPoster: "invites providers to its interviews")
        try requireProvider(c.providerId, "interviews are for providers")
        if let open = try state.openInterview(job: c.jobId, provider: c.providerId) {
            throw reject(.alreadyInvited, "this provider is already invited to interview for job '\(c.jobId)' (interview '\(open)'): continue in its thread")
        }
        let subject = c.subject ?? "Invitation to interview"
        try valid { () throws(CommandRejection) in
            try Validation.text(c.message, "message", max: Validation.maxBodyLength)
            try Validation.text(subject, "subject", max: Validation.maxSubjectLength)
        }
        let interviewId = try newId(c.interviewId, "interview id") { id throws(MarketplaceError) in try state.interview(id) != nil }
        let threadId = try newThreadId(c.threadId)
        let messageId = try id(c.messageId, "message id")
        var decision = Decision()
        decision.add(InterviewRequested(interviewId: interviewId, jobId: c.jobId, providerId: c.providerId, requestedBy: actor, threadId: threadId))
        decision.add(ThreadStarted(interviewId: interviewId, kind: .interview, participants: [actor, c.providerId], startedBy: actor,
                                   subject: subject, threadId: threadId))
        decision.add(MessageSent(body: c.message, messageId: messageId, senderId: actor, threadId: threadId))
        decision.expect(StreamName.interview(interviewId), .noStream)
        decision.expect(StreamName.thread(threadId), .noStream)
        return decision
    }

    func answerInterview(_ interviewId: String, accept: Bool, reason: String?) throws(MarketplaceError) -> Decision {
        _ = try actorAccount()
        try valid { () throws(CommandRejection) in try Validation.id(interviewId, "interview id") }
        guard let interview = try state.interview(interviewId) else {
            throw reject(.unknownInterview, "no interview has the id '\(interviewId)': check the invitation in your inbox")
        }
        guard interview.providerId == actor else {
            throw reject(.notPermitted, "only the invited provider accepts or declines interview '\(interviewId)'")
        }
        guard interview.status == .pending else {
            throw reject(.invalidState, "interview '\(interviewId)' was already \(interview.status.rawValue): reply in its thread instead")
        }
        if let reason {
            try valid { () throws(CommandRejection) in try Validation.text(reason, "reason", max: Validation.maxReasonLength, allowEmpty: true) }
        }
        var decision = Decision()
        if accept {
            decision.add(InterviewAccepted(interviewId: interviewId, providerId: actor))
        } else {
            decision.add(InterviewDeclined(interviewId: interviewId, providerId: actor, reason: reason))
        }
        decision.expect(StreamName.interview(interviewId), version: interview.version)
        return decision
    }

    /// Checks that the actor posted the job: `onlyItsPoster` says what only the one who posted it does.
    func requireActorPosted(job jobId: String, onlyItsPoster: String) throws(MarketplaceError) {
        try valid { () throws(CommandRejection) in try Validation.id(jobId, "job id") }
        guard let job = try state.job(jobId) else {
            throw reject(.unknownJob, "no job has the id '\(jobId)': post the job first (PostJob)")
        }
        guard job.postedBy == actor else {
            throw reject(.notPermitted, "only the one who posted job '\(jobId)' \(onlyItsPoster)")
        }
    }
}
