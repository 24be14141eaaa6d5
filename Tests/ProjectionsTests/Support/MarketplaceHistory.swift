import EventLog
import Events

/// A small marketplace history built from the seed workflows, as the commands would commit it.
enum MarketplaceHistory {
    static func register(_ store: any EventStore, _ userId: String, _ role: AccountRole, invitation: String? = nil) throws {
        let email = "\(userId)@mail.example"
        try store.commit([
            AccountRegistered(email: email, invitationId: invitation, name: "Name of \(userId)", role: role, userId: userId),
            EmailAddressClaimed(email: email, userId: userId),
        ], actor: userId)
    }

    /// b1 invites a provider to interview for job j1, as RequestInterview commits it: the interview, its
    /// thread and the thread's first message.
    static func requestInterview(_ store: any EventStore, _ interviewId: String, provider: String, thread: String,
                                 message messageId: String, _ body: String) throws {
        try store.commit([
            InterviewRequested(interviewId: interviewId, jobId: "j1", providerId: provider, requestedBy: "b1", threadId: thread),
            ThreadStarted(interviewId: interviewId, kind: .interview, participants: ["b1", provider], startedBy: "b1",
                          subject: "Interview: Swift work", threadId: thread),
            MessageSent(body: body, messageId: messageId, senderId: "b1", threadId: thread),
        ], actor: "b1")
    }

    /// Buyer b1 (mailing address enabled), buyer b2, provider p1, provider company pc1, affiliate manager am1,
    /// staffing manager sm1; a team, an interview, network, team and affiliate invitations, an assignment.
    static func build(_ store: any EventStore) throws {
        try register(store, "b1", .buyer)
        try register(store, "b2", .buyer)
        try register(store, "p1", .provider)
        try register(store, "pc1", .providerCompany)
        try register(store, "am1", .affiliateManager)
        try register(store, "sm1", .staffingManager)
        try store.commit([MarketplaceEmailEnabled(address: "b1@odesk.com", userId: "b1")], actor: "b1")

        // b1's team room
        try store.commit([
            TeamCreated(createdBy: "b1", name: "Room of b1", teamId: "t1"),
            TeamMemberAdded(role: .admin, teamId: "t1", userId: "b1", via: .creator),
        ], actor: "b1")
        // b1 invites a provider to the network with the team; she signs up and joins the team
        try store.commit([ProviderInvited(email: "friend@mail.example", invitationId: "inv1", invitedBy: "b1",
                                          teamId: "t1", token: "tok1")], actor: "b1")
        try store.commit([
            AccountRegistered(email: "friend@mail.example", invitationId: "inv1", name: "Friend", role: .provider, userId: "p2"),
            EmailAddressClaimed(email: "friend@mail.example", userId: "p2"),
            InviteAccepted(invitationId: "inv1", userId: "p2"),
            TeamMemberAdded(invitationId: "inv1", role: .member, teamId: "t1", userId: "p2", via: .networkInvitation),
        ], actor: "p2")
        // b1 invites p1 by user id and b2 by email; both accept; b2 leaves later
        try store.commit([
            TeamInvitationSent(invitationId: "ti1", invitedBy: "b1", role: .member, teamId: "t1", userId: "p1"),
            TeamInvitationSent(email: "b2@mail.example", invitationId: "ti2", invitedBy: "b1", role: .member, teamId: "t1", userId: "b2"),
        ], actor: "b1")
        try store.commit([TeamMemberAdded(invitationId: "ti1", role: .member, teamId: "t1", userId: "p1", via: .teamInvitation)], actor: "p1")
        try store.commit([TeamMemberAdded(invitationId: "ti2", role: .member, teamId: "t1", userId: "b2", via: .teamInvitation)], actor: "b2")
        // pc1's team takes p1 as an affiliated contractor, invited by user id
        try store.commit([
            TeamCreated(createdBy: "pc1", name: "Agency", teamId: "t2"),
            TeamMemberAdded(role: .admin, teamId: "t2", userId: "pc1", via: .creator),
            TeamInvitationSent(invitationId: "ti3", invitedBy: "pc1", role: .affiliatedContractor, teamId: "t2", userId: "p1"),
        ], actor: "pc1")
        try store.commit([TeamMemberAdded(invitationId: "ti3", role: .affiliatedContractor, teamId: "t2", userId: "p1", via: .teamInvitation)], actor: "p1")

        // The affiliate manager invites a provider, who signs up onto the roster
        try store.commit([ProviderInvited(email: "aff@mail.example", invitationId: "inv2", invitedBy: "am1", token: "tok2")], actor: "am1")
        try store.commit([
            AccountRegistered(email: "aff@mail.example", invitationId: "inv2", name: "Affiliate", role: .provider, userId: "p3"),
            EmailAddressClaimed(email: "aff@mail.example", userId: "p3"),
            InviteAccepted(invitationId: "inv2", userId: "p3"),
            AffiliateRosterJoined(affiliateManagerId: "am1", invitationId: "inv2", providerId: "p3"),
        ], actor: "p3")
        // Two more network invitations: one revoked, one expired
        // (inv4 was written by an older release, as ProviderInvited v1: read through the upcaster)
        try store.commit([ProviderInvited(email: "x@mail.example", invitationId: "inv3", invitedBy: "p1", token: "tok3")], actor: "p1")
        try store.append(ProposedCommit(events: [ProposedEvent(
            stream: StreamName.invitation("inv4"), type: ProviderInvited.eventType, schemaVersion: 1,
            payload: Array(#"{"email":"y@mail.example","invitationId":"inv4","inviter":"p1","token":"tok4"}"#.utf8))],
            actor: "p1"))
        try store.commit([InvitationRevoked(invitationId: "inv3", revokedBy: "p1")], actor: "p1")
        try store.commit([InvitationExpired(invitationId: "inv4")], actor: "system")

        // b1 posts a private job and invites p1 to an interview: the invitation opens a thread
        try store.commit([JobPosted(description: "Build it", jobId: "j1", postedBy: "b1", purpose: .work,
                                    title: "Swift work", visibility: .private)], actor: "b1")
        try requestInterview(store, "i1", provider: "p1", thread: "th1", message: "m1", "Would you interview for this job?")
        try store.commit([MessageSent(body: "Second note", messageId: "m2", senderId: "b1", threadId: "th1")], actor: "b1")
        try store.commit([
            InterviewAccepted(interviewId: "i1", providerId: "p1"),
            MessageSent(body: "Gladly", messageId: "m3", senderId: "p1", threadId: "th1"),
            ContactDetailsShared(email: "p1@odesk.com", kind: .marketplaceAddress, threadId: "th1", userId: "p1"),
        ], actor: "p1")
        try requestInterview(store, "i2", provider: "p2", thread: "th2", message: "m4", "And you?")
        try store.commit([InterviewDeclined(interviewId: "i2", providerId: "p2", reason: "busy")], actor: "p2")

        // b1 hires p1, pays twice, ends the assignment; b2 leaves the team
        try store.commit([ProviderHired(assignmentId: "a1", buyerId: "b1", jobId: "j1", providerId: "p1", staffingManagerId: "sm1")], actor: "b1")
        try store.commit([PaymentRecorded(amountCents: 10_000, assignmentId: "a1", currency: "USD", paidBy: "b1", paymentId: "pay1")], actor: "b1")
        try store.commit([PaymentRecorded(amountCents: 2_550, assignmentId: "a1", currency: "USD", paidBy: "b1", paymentId: "pay2")], actor: "b1")
        try store.commit([AssignmentEnded(assignmentId: "a1", endedBy: "b1")], actor: "b1")
        try store.commit([TeamMemberLeft(teamId: "t1", userId: "b2")], actor: "b2")
    }
}
