@testable import Events

/// One random instance of every event type (generated from the catalogue's field lists).
func sampleEvents(_ g: inout SampleGenerator) -> [MarketplaceEvent] {
    [
        .accountRegistered(AccountRegistered(email: g.text(), invitationId: g.maybeText(), name: g.text(), role: g.pick(AccountRole.allCases), userId: g.text())),
        .emailAddressClaimed(EmailAddressClaimed(email: g.text(), userId: g.text())),
        .marketplaceEmailEnabled(MarketplaceEmailEnabled(address: g.text(), userId: g.text())),
        .providerInvited(ProviderInvited(email: g.text(), invitationId: g.text(), invitedBy: g.text(), teamId: g.maybeText(), token: g.text())),
        .inviteAccepted(InviteAccepted(invitationId: g.text(), userId: g.text())),
        .invitationRevoked(InvitationRevoked(invitationId: g.text(), revokedBy: g.text())),
        .invitationExpired(InvitationExpired(invitationId: g.text())),
        .affiliateRosterJoined(AffiliateRosterJoined(affiliateManagerId: g.text(), invitationId: g.text(), providerId: g.text())),
        .jobPosted(JobPosted(description: g.text(), jobId: g.text(), postedBy: g.text(), purpose: g.pick(JobPurpose.allCases), title: g.text(), visibility: g.pick(JobVisibility.allCases))),
        .interviewRequested(InterviewRequested(interviewId: g.text(), jobId: g.text(), providerId: g.text(), requestedBy: g.text(), threadId: g.text())),
        .interviewAccepted(InterviewAccepted(interviewId: g.text(), providerId: g.text())),
        .interviewDeclined(InterviewDeclined(interviewId: g.text(), providerId: g.text(), reason: g.maybeText())),
        .threadStarted(ThreadStarted(interviewId: g.maybeText(), kind: g.pick(ThreadKind.allCases), participants: g.texts(), startedBy: g.text(), subject: g.text(), teamId: g.maybeText(), threadId: g.text())),
        .messageSent(MessageSent(body: g.text(), messageId: g.text(), senderId: g.text(), threadId: g.text())),
        .contactDetailsShared(ContactDetailsShared(email: g.text(), kind: g.pick(ContactKind.allCases), phone: g.maybeText(), threadId: g.text(), userId: g.text())),
        .teamCreated(TeamCreated(createdBy: g.text(), name: g.text(), teamId: g.text())),
        .teamInvitationSent(TeamInvitationSent(email: g.maybeText(), invitationId: g.text(), invitedBy: g.text(), role: g.pick(TeamRole.allCases), teamId: g.text(), userId: g.text())),
        .teamMemberAdded(TeamMemberAdded(invitationId: g.maybeText(), role: g.pick(TeamRole.allCases), teamId: g.text(), userId: g.text(), via: g.pick(TeamJoinRoute.allCases))),
        .teamMemberLeft(TeamMemberLeft(teamId: g.text(), userId: g.text())),
        .teamMemberRemoved(TeamMemberRemoved(removedBy: g.text(), teamId: g.text(), userId: g.text())),
        .providerHired(ProviderHired(assignmentId: g.text(), buyerId: g.text(), jobId: g.text(), providerId: g.text(), staffingManagerId: g.text())),
        .assignmentEnded(AssignmentEnded(assignmentId: g.text(), endedBy: g.text())),
        .paymentRecorded(PaymentRecorded(amountCents: g.int(), assignmentId: g.text(), currency: g.text(), paidBy: g.text(), paymentId: g.text())),
    ]
}
