import EventLog
import Events
import Marketplace
import Testing

@Suite struct InvitationTests {
    @Test func registeringAnAccountClaimsItsAddress() throws {
        let s = try Scenario()
        try s.expectEvents("u9", .registerAccount(RegisterAccount(userId: "u9", role: .buyer, name: "Ann", email: " Ann@Example.COM ")), [
            .accountRegistered(AccountRegistered(email: "ann@example.com", name: "Ann", role: .buyer, userId: "u9")),
            .emailAddressClaimed(EmailAddressClaimed(email: "ann@example.com", userId: "u9")),
        ])
        s.expectRejection("u10", .registerAccount(RegisterAccount(userId: "u10", role: .provider, name: "A", email: "ann@example.com")), .emailTaken)
        s.expectRejection("u9", .registerAccount(RegisterAccount(userId: "u9", role: .provider, name: "A", email: "x@example.com")), .alreadyExists)
        s.expectRejection("u11", .registerAccount(RegisterAccount(userId: "u11", role: .provider, name: "A", email: "not-an-address")), .invalidInput)
        s.expectRejection("u11", .registerAccount(RegisterAccount(userId: "u11", role: .provider, name: "  ", email: "n@example.com")), .invalidInput)
    }

    @Test func inviteSeveralAddressesAtOnce() throws {
        let s = try Scenario(Cast.everyone)
        try s.expectEvents(Cast.buyer, .inviteProviders(InviteProviders(emails: ["x@example.com", "Y@Example.com"],
                                                                       invitationIds: ["i1", "i2"], tokens: ["k1", "k2"])), [
            .providerInvited(ProviderInvited(email: "x@example.com", invitationId: "i1", invitedBy: Cast.buyer, token: "i1.k1")),
            .providerInvited(ProviderInvited(email: "y@example.com", invitationId: "i2", invitedBy: Cast.buyer, token: "i2.k2")),
        ])
    }

    @Test func invitingAMembersAddressPointsToInterviewOrTeamInvitation() throws {
        let s = try Scenario(Cast.everyone)
        let message = s.expectRejection(Cast.buyer, .inviteProviders(InviteProviders(emails: ["new@example.com", "P1@example.com"])), .alreadyMember)
        #expect(message.contains("address number 2"))
        #expect(message.contains("RequestInterview") && message.contains("InviteToTeam"))
        #expect(!message.contains("p1@example.com"), "the message must not quote the address")
    }

    @Test(arguments: [Cast.company, Cast.staffing])
    func onlyBuyersProvidersAndAffiliateManagersInvite(actor: String) throws {
        let s = try Scenario(Cast.everyone)
        s.expectRejection(actor, .inviteProviders(InviteProviders(emails: ["x@example.com"])), .notPermitted)
        s.expectRejection("nobody", .inviteProviders(InviteProviders(emails: ["x@example.com"])), .unknownActor)
    }

    @Test func acceptingABuyersInvitationWithATeamJoinsTheTeamRoom() throws {
        let s = try Scenario(Cast.everyone + Cast.buyerTeam + [Cast.invited("i1", by: Cast.buyer, email: "new@example.com", team: Cast.team)])
        try s.expectEvents("anonymous", .acceptInvitation(AcceptInvitation(token: "i1.secret", name: "Nia", userId: "n1")), [
            .inviteAccepted(InviteAccepted(invitationId: "i1", userId: "n1")),
            .accountRegistered(AccountRegistered(email: "new@example.com", invitationId: "i1", name: "Nia", role: .provider, userId: "n1")),
            .emailAddressClaimed(EmailAddressClaimed(email: "new@example.com", userId: "n1")),
            .teamMemberAdded(TeamMemberAdded(invitationId: "i1", role: .member, teamId: Cast.team, userId: "n1", via: .networkInvitation)),
        ])
    }

    @Test func aProviderInvitesAFriendIntoTheBuyersTeam() throws {
        let s = try Scenario(Cast.everyone + Cast.buyerTeam)
        try s.run(Cast.provider, .inviteProviders(InviteProviders(emails: ["friend@example.com"], teamId: Cast.team,
                                                                 invitationIds: ["i7"], tokens: ["k"])))
        let outcome = try s.run("anonymous", .acceptInvitation(AcceptInvitation(token: "i7.k", name: "Friend", userId: "f1")))
        #expect(outcome.events.contains(.teamMemberAdded(TeamMemberAdded(invitationId: "i7", role: .member, teamId: Cast.team,
                                                                         userId: "f1", via: .networkInvitation))))
        // Someone outside the team cannot invite into it.
        s.expectRejection(Cast.provider2, .inviteProviders(InviteProviders(emails: ["z@example.com"], teamId: Cast.team)), .notPermitted)
    }

    @Test func anAffiliateManagersInviteePutsTheProviderOnTheRoster() throws {
        let s = try Scenario(Cast.everyone + [Cast.invited("i1", by: Cast.affiliate, email: "new@example.com")])
        let outcome = try s.run("anonymous", .acceptInvitation(AcceptInvitation(token: "i1.secret", name: "N", userId: "n1")))
        #expect(outcome.events.last == .affiliateRosterJoined(AffiliateRosterJoined(affiliateManagerId: Cast.affiliate, invitationId: "i1", providerId: "n1")))
    }

    @Test func tokensAreSingleUseAndStopWorkingWhenRevokedOrExpired() throws {
        let s = try Scenario(Cast.everyone + [Cast.invited("i1", by: Cast.buyer, email: "one@example.com"),
                                              Cast.invited("i2", by: Cast.buyer, email: "two@example.com"),
                                              Cast.invited("i3", by: Cast.buyer, email: "three@example.com")])
        try s.run("anonymous", .acceptInvitation(AcceptInvitation(token: "i1.secret", name: "One")))
        s.expectRejection("anonymous", .acceptInvitation(AcceptInvitation(token: "i1.secret", name: "Again")), .tokenAlreadyUsed)

        s.expectRejection(Cast.buyer2, .revokeInvitation(RevokeInvitation(invitationId: "i2")), .notPermitted)
        try s.expectEvents(Cast.buyer, .revokeInvitation(RevokeInvitation(invitationId: "i2")),
                           [.invitationRevoked(InvitationRevoked(invitationId: "i2", revokedBy: Cast.buyer))])
        s.expectRejection("anonymous", .acceptInvitation(AcceptInvitation(token: "i2.secret", name: "Two")), .tokenRevoked)

        s.expectRejection(Cast.buyer, .expireInvitation(ExpireInvitation(invitationId: "i3")), .notPermitted)
        try s.expectEvents("system", .expireInvitation(ExpireInvitation(invitationId: "i3")),
                           [.invitationExpired(InvitationExpired(invitationId: "i3"))])
        s.expectRejection("anonymous", .acceptInvitation(AcceptInvitation(token: "i3.secret", name: "Three")), .tokenExpired)
        s.expectRejection("anonymous", .acceptInvitation(AcceptInvitation(token: "i3.wrong", name: "Three")), .unknownToken)
        s.expectRejection("anonymous", .acceptInvitation(AcceptInvitation(token: "garbage", name: "X")), .unknownToken)
    }

    @Test func aStoredV1InvitationIsStillAccepted() throws {
        // A ProviderInvited v1 record (before teams) as it is stored in old logs.
        let s = try Scenario(Cast.everyone)
        let v1 = Array(#"{"email":"old@example.com","invitationId":"i-old","inviter":"a1","token":"i-old.t"}"#.utf8)
        _ = try s.store.append(ProposedCommit(events: [ProposedEvent(stream: "invitation-i-old", type: "ProviderInvited", schemaVersion: 1, payload: v1)], actor: "test"))
        let outcome = try s.run("anonymous", .acceptInvitation(AcceptInvitation(token: "i-old.t", name: "Old", userId: "o1")))
        #expect(outcome.events.contains(.affiliateRosterJoined(AffiliateRosterJoined(affiliateManagerId: Cast.affiliate, invitationId: "i-old", providerId: "o1"))))
    }
}
