/// What the generator remembers of the history it has produced: bounded pools of recent things, enough
/// to issue commands that the marketplace accepts.
struct WorkloadModel: Sendable {
    struct Invitation: Sendable {
        var id: String
        var token: String
        var inviter: String
        var inviterIsAffiliate: Bool
        var teamIndex: Int?
        var teamId: String?
    }

    struct Job: Sendable {
        var id: String
        var owner: String
        var invited: [String] = []
    }

    struct Interview: Sendable {
        var id: String
        var provider: String
    }

    struct Thread: Sendable {
        var id: String
        var participants: [String]
        var sharedBy: [String] = []
    }

    struct Team: Sendable {
        var id: String
        var admin: String
        var ownerIsCompany: Bool
        var members: [String]
        var pending: [(invitationId: String, userId: String)] = []
    }

    struct Assignment: Sendable {
        var id: String
        var buyer: String
        var provider: String
        var staffing: String
    }

    var buyers = Pool<String>(capacity: 20_000)
    /// Buyers who have not enabled their marketplace address.
    var buyersWithoutAddress = Pool<String>(capacity: 5_000)
    /// Every buyer who has not enabled their marketplace address (not a sample): the address does not
    /// reach them, so they share personal details instead.
    var unreachableBuyers = Set<String>()
    /// Network invitations whose email has not gone out yet, with the attempts made so far.
    var unmailedInvitations = Pool<Unmailed>(capacity: 5_000)

    struct Unmailed: Sendable {
        var id: String
        var attempts: Int
    }
    var providers = Pool<String>(capacity: 50_000)
    var companies = Pool<String>(capacity: 2_000)
    var affiliates = Pool<String>(capacity: 2_000)
    var staffing = Pool<String>(capacity: 2_000)
    var invitations = Pool<Invitation>(capacity: 20_000)
    var jobs = Pool<Job>(capacity: 10_000)
    var interviews = Pool<Interview>(capacity: 10_000)
    var threads = Pool<Thread>(capacity: 50_000)
    var teams = Pool<Team>(capacity: 3_000)
    var assignments = Pool<Assignment>(capacity: 10_000)
}
