import EventLog
import Events
import Marketplace
import Testing

@Suite struct JobAndMessageTests {
    @Test func recruitingAffiliatedContractorsPubliclyIsRejectedPointingToAPrivateJob() throws {
        let s = try Scenario(Cast.everyone)
        let message = s.expectRejection(Cast.company, .postJob(PostJob(title: "Join us", description: "We recruit", visibility: .public,
                                                                       purpose: .affiliateRecruitment)), .publicAffiliateRecruitment)
        #expect(message.contains("private job"))
        try s.expectEvents(Cast.company, .postJob(PostJob(jobId: "j9", title: "Join us", description: "We recruit", visibility: .private,
                                                          purpose: .affiliateRecruitment)), [
            .jobPosted(JobPosted(description: "We recruit", jobId: "j9", postedBy: Cast.company, purpose: .affiliateRecruitment,
                                 title: "Join us", visibility: .private)),
        ])
        s.expectRejection(Cast.buyer, .postJob(PostJob(title: "T", description: "D", visibility: .private, purpose: .affiliateRecruitment)), .notPermitted)
        s.expectRejection(Cast.provider, .postJob(PostJob(title: "T", description: "D", visibility: .public)), .notPermitted)
    }

    @Test func anInterviewInvitationOpensAThreadInTheProvidersInbox() throws {
        let s = try Scenario(Cast.everyone + Cast.job)
        try s.expectEvents(Cast.buyer, .requestInterview(RequestInterview(jobId: "j1", providerId: Cast.provider, message: "Hello! Are you free?",
                                                                          interviewId: "iv1", threadId: "th1", messageId: "m1")), [
            .interviewRequested(InterviewRequested(interviewId: "iv1", jobId: "j1", providerId: Cast.provider, requestedBy: Cast.buyer, threadId: "th1")),
            .threadStarted(ThreadStarted(interviewId: "iv1", kind: .interview, participants: [Cast.buyer, Cast.provider], startedBy: Cast.buyer,
                                         subject: "Invitation to interview", threadId: "th1")),
            .messageSent(MessageSent(body: "Hello! Are you free?", messageId: "m1", senderId: Cast.buyer, threadId: "th1")),
        ])
        s.expectRejection(Cast.buyer, .requestInterview(RequestInterview(jobId: "j1", providerId: Cast.provider, message: "Again")), .alreadyInvited)
        s.expectRejection(Cast.buyer2, .requestInterview(RequestInterview(jobId: "j1", providerId: Cast.provider2, message: "Hi")), .notPermitted)
        s.expectRejection(Cast.buyer, .requestInterview(RequestInterview(jobId: "j1", providerId: Cast.staffing, message: "Hi")), .invalidInput)
        s.expectRejection(Cast.buyer, .requestInterview(RequestInterview(jobId: "nope", providerId: Cast.provider, message: "Hi")), .unknownJob)
        s.expectRejection(Cast.provider2, .acceptInterview(AcceptInterview(interviewId: "iv1")), .notPermitted)
        try s.expectEvents(Cast.provider, .acceptInterview(AcceptInterview(interviewId: "iv1")),
                           [.interviewAccepted(InterviewAccepted(interviewId: "iv1", providerId: Cast.provider))])
        s.expectRejection(Cast.provider, .declineInterview(DeclineInterview(interviewId: "iv1")), .invalidState)
        // Replies in the thread, and contact details.
        try s.expectEvents(Cast.provider, .replyToThread(ReplyToThread(threadId: "th1", body: "Yes, tomorrow.", messageId: "m2")),
                           [.messageSent(MessageSent(body: "Yes, tomorrow.", messageId: "m2", senderId: Cast.provider, threadId: "th1"))])
        try s.expectEvents(Cast.provider, .shareContactDetails(ShareContactDetails(threadId: "th1", kind: .marketplaceAddress)), [
            .contactDetailsShared(ContactDetailsShared(email: "p1@odesk.com", kind: .marketplaceAddress, threadId: "th1", userId: Cast.provider)),
        ])
        s.expectRejection(Cast.provider2, .replyToThread(ReplyToThread(threadId: "th1", body: "Me too")), .notAParticipant)
        s.expectRejection(Cast.provider2, .shareContactDetails(ShareContactDetails(threadId: "th1", kind: .marketplaceAddress)), .notAParticipant)
    }

    @Test func aBuyerSharesTheMarketplaceAddressOnlyOnceItReachesThem() throws {
        let s = try Scenario(Cast.everyone + Cast.job)
        _ = try s.run(Cast.buyer, .requestInterview(RequestInterview(jobId: "j1", providerId: Cast.provider, message: "Hi", threadId: "th1")))
        // "sent to the UserID@oDesk.com addresses for all providers and any buyer who has enabled it"
        let message = s.expectRejection(Cast.buyer, .shareContactDetails(ShareContactDetails(threadId: "th1", kind: .marketplaceAddress)),
                                        .invalidState)
        #expect(message.contains("enable it first"))
        _ = try s.run(Cast.buyer, .enableMarketplaceEmail(EnableMarketplaceEmail()))
        try s.expectEvents(Cast.buyer, .shareContactDetails(ShareContactDetails(threadId: "th1", kind: .marketplaceAddress)), [
            .contactDetailsShared(ContactDetailsShared(email: "b1@odesk.com", kind: .marketplaceAddress, threadId: "th1", userId: Cast.buyer)),
        ])
    }

    @Test func declinedInterviewsCanBeRequestedAgain() throws {
        let s = try Scenario(Cast.everyone + Cast.job)
        try s.run(Cast.buyer, .requestInterview(RequestInterview(jobId: "j1", providerId: Cast.provider, message: "Hi", interviewId: "iv1")))
        try s.expectEvents(Cast.provider, .declineInterview(DeclineInterview(interviewId: "iv1", reason: "Busy")),
                           [.interviewDeclined(InterviewDeclined(interviewId: "iv1", providerId: Cast.provider, reason: "Busy"))])
        try s.run(Cast.buyer, .requestInterview(RequestInterview(jobId: "j1", providerId: Cast.provider, message: "Later?")))
    }

    @Test func userToUserMessagesCannotCarryAttachments() throws {
        let s = try Scenario(Cast.everyone)
        let message = s.expectRejection(Cast.buyer, .sendMessage(SendMessage(recipientId: Cast.provider, subject: "Hi", body: "Secret text",
                                                                            attachments: ["cv.pdf"])), .attachmentsNotAllowed)
        #expect(!message.contains("Secret text"))
        try s.expectEvents(Cast.buyer, .sendMessage(SendMessage(recipientId: Cast.provider, subject: "Hi", body: "Text", threadId: "th5", messageId: "m5")), [
            .threadStarted(ThreadStarted(kind: .direct, participants: [Cast.buyer, Cast.provider], startedBy: Cast.buyer, subject: "Hi", threadId: "th5")),
            .messageSent(MessageSent(body: "Text", messageId: "m5", senderId: Cast.buyer, threadId: "th5")),
        ])
        s.expectRejection(Cast.provider, .replyToThread(ReplyToThread(threadId: "th5", body: "See file", attachments: ["x.zip"])), .attachmentsNotAllowed)
        s.expectRejection(Cast.buyer, .sendMessage(SendMessage(recipientId: "ghost", subject: "Hi", body: "Text")), .unknownUser)
        s.expectRejection(Cast.buyer, .sendMessage(SendMessage(recipientId: Cast.provider, subject: "Hi",
                                                               body: String(repeating: "x", count: 10_001))), .invalidInput)
    }

    @Test func teamMembersMessageEachOtherFromTheTeamRoom() throws {
        let s = try Scenario(Cast.everyone + Cast.buyerTeam)
        let outcome = try s.run(Cast.provider, .sendMessage(SendMessage(recipientId: Cast.buyer, subject: "Status", body: "Done", teamId: Cast.team)))
        guard case .threadStarted(let thread) = outcome.events.first else { Issue.record("no thread"); return }
        #expect(thread.kind == .team && thread.teamId == Cast.team)
        s.expectRejection(Cast.provider, .sendMessage(SendMessage(recipientId: Cast.provider2, subject: "S", body: "B", teamId: Cast.team)), .notPermitted)
    }
}

@Suite struct TeamAndWorkTests {
    @Test func onlyATeamsAdminsInviteToIt() throws {
        let s = try Scenario(Cast.everyone + Cast.buyerTeam)
        let message = s.expectRejection(Cast.provider, .inviteToTeam(InviteToTeam(teamId: Cast.team, userId: Cast.provider2)), .notTeamAdmin)
        #expect(message.contains(Cast.buyer))
        try s.expectEvents(Cast.buyer, .inviteToTeam(InviteToTeam(teamId: Cast.team, email: "P2@example.com", invitationId: "ti5")), [
            .teamInvitationSent(TeamInvitationSent(email: "p2@example.com", invitationId: "ti5", invitedBy: Cast.buyer, role: .member,
                                                   teamId: Cast.team, userId: Cast.provider2)),
        ])
        s.expectRejection(Cast.buyer, .inviteToTeam(InviteToTeam(teamId: Cast.team, userId: Cast.provider2)), .alreadyInvited)
        s.expectRejection(Cast.buyer, .inviteToTeam(InviteToTeam(teamId: Cast.team, userId: Cast.provider)), .alreadyTeamMember)
        s.expectRejection(Cast.buyer, .inviteToTeam(InviteToTeam(teamId: Cast.team, email: "stranger@example.com")), .unknownUser)
        s.expectRejection(Cast.provider, .acceptTeamInvitation(AcceptTeamInvitation(teamId: Cast.team, invitationId: "ti5")), .notPermitted)
        try s.expectEvents(Cast.provider2, .acceptTeamInvitation(AcceptTeamInvitation(teamId: Cast.team, invitationId: "ti5")), [
            .teamMemberAdded(TeamMemberAdded(invitationId: "ti5", role: .member, teamId: Cast.team, userId: Cast.provider2, via: .teamInvitation)),
        ])
        try s.expectEvents(Cast.provider2, .leaveTeam(LeaveTeam(teamId: Cast.team)),
                           [.teamMemberLeft(TeamMemberLeft(teamId: Cast.team, userId: Cast.provider2))])
        s.expectRejection(Cast.provider, .removeTeamMember(RemoveTeamMember(teamId: Cast.team, userId: Cast.buyer)), .notTeamAdmin)
        try s.expectEvents(Cast.buyer, .removeTeamMember(RemoveTeamMember(teamId: Cast.team, userId: Cast.provider)),
                           [.teamMemberRemoved(TeamMemberRemoved(removedBy: Cast.buyer, teamId: Cast.team, userId: Cast.provider))])
        s.expectRejection(Cast.buyer, .removeTeamMember(RemoveTeamMember(teamId: Cast.team, userId: Cast.provider)), .invalidState)
    }

    @Test func aProviderCompanyRecruitsAnAffiliatedContractorThroughAPrivateJobAndItsTeam() throws {
        let s = try Scenario(Cast.everyone)
        try s.run(Cast.company, .createTeam(CreateTeam(teamId: "ct", name: "Company team")))
        try s.run(Cast.company, .postJob(PostJob(jobId: "pj", title: "Affiliates", description: "Join", visibility: .private, purpose: .affiliateRecruitment)))
        try s.run(Cast.company, .requestInterview(RequestInterview(jobId: "pj", providerId: Cast.provider, message: "Join us?", interviewId: "iv", threadId: "th")))
        try s.run(Cast.provider, .acceptInterview(AcceptInterview(interviewId: "iv")))
        try s.run(Cast.provider, .replyToThread(ReplyToThread(threadId: "th", body: "Yes. My user id is p1.")))
        try s.expectEvents(Cast.company, .inviteToTeam(InviteToTeam(teamId: "ct", userId: Cast.provider, role: .affiliatedContractor, invitationId: "ac")), [
            .teamInvitationSent(TeamInvitationSent(invitationId: "ac", invitedBy: Cast.company, role: .affiliatedContractor, teamId: "ct", userId: Cast.provider)),
        ])
        try s.expectEvents(Cast.provider, .acceptTeamInvitation(AcceptTeamInvitation(teamId: "ct", invitationId: "ac")), [
            .teamMemberAdded(TeamMemberAdded(invitationId: "ac", role: .affiliatedContractor, teamId: "ct", userId: Cast.provider, via: .teamInvitation)),
        ])
        // A buyer's team has no affiliated contractors.
        try s.run(Cast.buyer, .createTeam(CreateTeam(teamId: "bt", name: "B")))
        s.expectRejection(Cast.buyer, .inviteToTeam(InviteToTeam(teamId: "bt", userId: Cast.provider2, role: .affiliatedContractor)), .invalidInput)
    }

    @Test func onlyBuyersEnableTheirMarketplaceAddressOnce() throws {
        let s = try Scenario(Cast.everyone)
        try s.expectEvents(Cast.buyer, .enableMarketplaceEmail(EnableMarketplaceEmail()),
                           [.marketplaceEmailEnabled(MarketplaceEmailEnabled(address: "b1@odesk.com", userId: Cast.buyer))])
        s.expectRejection(Cast.buyer, .enableMarketplaceEmail(EnableMarketplaceEmail()), .invalidState)
        s.expectRejection(Cast.provider, .enableMarketplaceEmail(EnableMarketplaceEmail()), .notPermitted)
    }

    @Test func hireEndAndPay() throws {
        let s = try Scenario(Cast.everyone + Cast.job)
        s.expectRejection(Cast.buyer2, .hire(Hire(jobId: "j1", providerId: Cast.provider, staffingManagerId: Cast.staffing)), .notPermitted)
        s.expectRejection(Cast.buyer, .hire(Hire(jobId: "j1", providerId: Cast.provider, staffingManagerId: Cast.buyer2)), .invalidInput)
        try s.expectEvents(Cast.buyer, .hire(Hire(jobId: "j1", providerId: Cast.provider, staffingManagerId: Cast.staffing, assignmentId: "as1")), [
            .providerHired(ProviderHired(assignmentId: "as1", buyerId: Cast.buyer, jobId: "j1", providerId: Cast.provider, staffingManagerId: Cast.staffing)),
        ])
        try s.expectEvents(Cast.buyer, .recordPayment(RecordPayment(assignmentId: "as1", amountCents: 125_00, currency: "USD", paymentId: "pay1")), [
            .paymentRecorded(PaymentRecorded(amountCents: 125_00, assignmentId: "as1", currency: "USD", paidBy: Cast.buyer, paymentId: "pay1")),
        ])
        s.expectRejection(Cast.provider, .recordPayment(RecordPayment(assignmentId: "as1", amountCents: 1, currency: "USD")), .notPermitted)
        s.expectRejection(Cast.buyer, .recordPayment(RecordPayment(assignmentId: "as1", amountCents: 0, currency: "USD")), .invalidInput)
        s.expectRejection(Cast.buyer, .recordPayment(RecordPayment(assignmentId: "as1", amountCents: 5, currency: "dollars")), .invalidInput)
        s.expectRejection(Cast.buyer2, .endAssignment(EndAssignment(assignmentId: "as1")), .notPermitted)
        try s.expectEvents(Cast.provider, .endAssignment(EndAssignment(assignmentId: "as1")),
                           [.assignmentEnded(AssignmentEnded(assignmentId: "as1", endedBy: Cast.provider))])
        s.expectRejection(Cast.buyer, .endAssignment(EndAssignment(assignmentId: "as1")), .invalidState)
        // A final payment after the end is still recorded.
        try s.run(Cast.staffing, .recordPayment(RecordPayment(assignmentId: "as1", amountCents: 10, currency: "EUR")))
    }
}
