import EventLog
import Events

extension Decider {
    func registerAccount(_ c: RegisterAccount) throws(MarketplaceError) -> Decision {
        try valid { () throws(CommandRejection) in try Validation.text(c.name, "name", max: Validation.maxNameLength) }
        let email = try valid { () throws(CommandRejection) in try Validation.email(c.email) }
        let userId = try newId(c.userId, "user id") { id throws(MarketplaceError) in try state.user(id) != nil }
        if try state.owner(ofEmail: email) != nil {
            throw reject(.emailTaken, "an account already uses the address: sign in to that account, or register with another address")
        }
        var decision = Decision()
        decision.add(AccountRegistered(email: email, name: c.name, role: c.role, userId: userId))
        decision.add(EmailAddressClaimed(email: email, userId: userId))
        decision.expect(StreamName.user(userId), .noStream)
        decision.expect(StreamName.email(email), .noStream)
        return decision
    }

    func enableMarketplaceEmail() throws(MarketplaceError) -> Decision {
        let user = try actorAccount()
        guard user.role == .buyer else {
            throw reject(.notPermitted, "only buyers enable their marketplace address; a provider's \(MarketplaceAddress.of("USERID")) address is always on")
        }
        guard !user.marketplaceEmail else {
            throw reject(.invalidState, "the marketplace address is already enabled: team emails already reach it")
        }
        return Decision(MarketplaceEmailEnabled(address: MarketplaceAddress.of(user.userId), userId: user.userId),
                        expectingItsStreamAt: user.version)
    }
}
