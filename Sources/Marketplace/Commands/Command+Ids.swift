/// Fresh ids for what a command creates when the caller did not give them.
public struct IdGenerator: Sendable {
    private let makeId: @Sendable () -> String

    public init(_ makeId: @escaping @Sendable () -> String) {
        self.makeId = makeId
    }

    public func next() -> String { makeId() }

    /// 20 random hexadecimal digits (80 bits).
    public static let random = IdGenerator {
        var generator = SystemRandomNumberGenerator()
        let high = generator.next() as UInt64, low = generator.next() as UInt64
        let hex = String(high, radix: 16) + String(low & 0xFFFF, radix: 16)
        return String(repeating: "0", count: max(0, 20 - hex.count)) + hex
    }
}

extension Command {
    /// The command with every id it needs and was not given filled from `ids`.
    public func fillingIds(_ ids: IdGenerator) -> Command {
        switch self {
        case .registerAccount(var c):
            c.userId = c.userId ?? "u-" + ids.next()
            return .registerAccount(c)
        case .inviteProviders(var c):
            c.invitationIds = c.invitationIds ?? c.emails.map { _ in "inv-" + ids.next() }
            c.tokens = c.tokens ?? c.emails.map { _ in ids.next() }
            return .inviteProviders(c)
        case .acceptInvitation(var c):
            c.userId = c.userId ?? "u-" + ids.next()
            return .acceptInvitation(c)
        case .postJob(var c):
            c.jobId = c.jobId ?? "job-" + ids.next()
            return .postJob(c)
        case .requestInterview(var c):
            c.interviewId = c.interviewId ?? "iv-" + ids.next()
            c.threadId = c.threadId ?? "th-" + ids.next()
            c.messageId = c.messageId ?? "m-" + ids.next()
            return .requestInterview(c)
        case .sendMessage(var c):
            c.threadId = c.threadId ?? "th-" + ids.next()
            c.messageId = c.messageId ?? "m-" + ids.next()
            return .sendMessage(c)
        case .replyToThread(var c):
            c.messageId = c.messageId ?? "m-" + ids.next()
            return .replyToThread(c)
        case .createTeam(var c):
            c.teamId = c.teamId ?? "team-" + ids.next()
            return .createTeam(c)
        case .inviteToTeam(var c):
            c.invitationId = c.invitationId ?? "ti-" + ids.next()
            return .inviteToTeam(c)
        case .hire(var c):
            c.assignmentId = c.assignmentId ?? "as-" + ids.next()
            return .hire(c)
        case .recordPayment(var c):
            c.paymentId = c.paymentId ?? "pay-" + ids.next()
            return .recordPayment(c)
        case .revokeInvitation, .expireInvitation, .acceptInterview, .declineInterview, .shareContactDetails,
             .acceptTeamInvitation, .leaveTeam, .removeTeamMember, .enableMarketplaceEmail, .endAssignment:
            return self
        }
    }
}
