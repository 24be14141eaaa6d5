import Events
public import Marketplace

/// A realistic marketplace history as a stream of real commands, deterministic from a seed, at any size:
/// thousands of users, affiliate managers with rosters, invitations (most accepted, some revoked or
/// expired), public and private jobs, interviews, threads of multi-sentence messages, teams,
/// assignments and payments. Memory is bounded whatever `targetEvents` (the pools keep recent things).
///
/// ```swift
/// var generator = WorkloadGenerator(seed: 42, targetEvents: 1_000_000)
/// while let batch = generator.nextBatch(maxCommands: 1_000) { _ = try market.executeBatch(batch) }
/// ```
public struct WorkloadGenerator: Sendable {
    public let seed: UInt64
    public let targetEvents: Int
    /// Events the commands produced so far will append (all are meant to be accepted).
    public private(set) var plannedEvents = 0
    public private(set) var commandCount = 0

    var random: SeededRandom
    var model = WorkloadModel()
    var counter = 0
    private var bootstrapped = false

    public init(seed: UInt64, targetEvents: Int) {
        self.seed = seed
        self.targetEvents = targetEvents
        random = SeededRandom(seed: seed)
    }

    /// The next commands (at most `maxCommands`), or nil once the target is reached.
    public mutating func nextBatch(maxCommands: Int = 1_000) -> [CommandEnvelope]? {
        guard plannedEvents < targetEvents else { return nil }
        var batch: [CommandEnvelope] = []
        batch.reserveCapacity(maxCommands)
        if !bootstrapped {
            bootstrapped = true
            bootstrap(into: &batch)
        }
        while batch.count < maxCommands, plannedEvents < targetEvents {
            batch.append(nextCommand())
        }
        return batch
    }

    mutating func nextId(_ prefix: String) -> String {
        counter += 1
        return prefix + String(counter, radix: 36)
    }

    mutating func envelope(_ actor: String, _ command: Command, events: Int) -> CommandEnvelope {
        plannedEvents += events
        commandCount += 1
        return CommandEnvelope(actor: actor, commandId: "w\(seed)-\(commandCount)", command)
    }

    // MARK: Users

    private mutating func bootstrap(into batch: inout [CommandEnvelope]) {
        let scale = max(1, min(20, targetEvents / 50_000))
        for _ in 0..<(5 * scale) { batch.append(register(.staffingManager)) }
        for _ in 0..<(5 * scale) { batch.append(register(.affiliateManager)) }
        for _ in 0..<(5 * scale) { batch.append(register(.providerCompany)) }
        for _ in 0..<(40 * scale) { batch.append(register(.buyer)) }
        for _ in 0..<(100 * scale) { batch.append(register(.provider)) }
    }

    private mutating func register(_ role: AccountRole) -> CommandEnvelope {
        let userId = nextId("u")
        let name = role == .providerCompany ? random.pick(TextGenerator.companies) : TextGenerator.name(&random)
        let email = TextGenerator.email(counter, &random)
        switch role {
        case .buyer:
            model.buyers.add(userId, &random)
            model.buyersWithoutAddress.add(userId, &random)
            model.unreachableBuyers.insert(userId)
        case .provider: model.providers.add(userId, &random)
        case .providerCompany: model.companies.add(userId, &random)
        case .affiliateManager: model.affiliates.add(userId, &random)
        case .staffingManager: model.staffing.add(userId, &random)
        }
        return envelope(userId, .registerAccount(RegisterAccount(userId: userId, role: role, name: name, email: email)), events: 2)
    }

    // MARK: The mix

    private static let weights: [(Action, Int)] = [
        (.reply, 300), (.sendMessage, 50), (.requestInterview, 80), (.answerInterview, 60), (.inviteProviders, 70),
        (.acceptInvitation, 60), (.revokeInvitation, 6), (.expireInvitation, 6), (.register, 25), (.postJob, 50),
        (.shareContact, 20), (.createTeam, 12), (.inviteToTeam, 30), (.acceptTeamInvitation, 25), (.leaveTeam, 3),
        (.removeMember, 3), (.hire, 25), (.pay, 40), (.endAssignment, 8), (.enableAddress, 6), (.deliverEmail, 60),
    ]
    private static let totalWeight = weights.reduce(0) { $0 + $1.1 }

    enum Action {
        case reply, sendMessage, requestInterview, answerInterview, inviteProviders, acceptInvitation, revokeInvitation
        case expireInvitation, register, postJob, shareContact, createTeam, inviteToTeam, acceptTeamInvitation, leaveTeam
        case removeMember, hire, pay, endAssignment, enableAddress, deliverEmail
    }

    private mutating func nextCommand() -> CommandEnvelope {
        var roll = random.below(Self.totalWeight)
        var action = Action.reply
        for (candidate, weight) in Self.weights {
            if roll < weight { action = candidate; break }
            roll -= weight
        }
        return command(for: action) ?? command(for: .register) ?? register(.provider)
    }

    private mutating func command(for action: Action) -> CommandEnvelope? {
        switch action {
        case .reply: return reply()
        case .sendMessage: return sendMessage()
        case .requestInterview: return requestInterview()
        case .answerInterview: return answerInterview()
        case .inviteProviders: return inviteProviders()
        case .acceptInvitation: return acceptInvitation()
        case .revokeInvitation: return endInvitation(revoke: true)
        case .expireInvitation: return endInvitation(revoke: false)
        case .register:
            let roll = random.below(100)
            let role: AccountRole = roll < 45 ? .buyer : roll < 90 ? .provider : roll < 94 ? .providerCompany : roll < 97 ? .affiliateManager : .staffingManager
            return register(role)
        case .postJob: return postJob()
        case .shareContact: return shareContact()
        case .createTeam: return createTeam()
        case .inviteToTeam: return inviteToTeam()
        case .acceptTeamInvitation: return acceptTeamInvitation()
        case .leaveTeam: return leaveOrRemove(remove: false)
        case .removeMember: return leaveOrRemove(remove: true)
        case .hire: return hire()
        case .pay: return pay()
        case .endAssignment: return endAssignment()
        case .deliverEmail: return deliverEmail()
        case .enableAddress:
            guard let picked = model.buyersWithoutAddress.pick(&random) else { return nil }
            let buyer = model.buyersWithoutAddress.remove(at: picked.index)
            model.unreachableBuyers.remove(buyer)
            return envelope(buyer, .enableMarketplaceEmail(EnableMarketplaceEmail()), events: 1)
        }
    }
}
