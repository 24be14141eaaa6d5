import Events

/// Every command of the marketplace, one case per workflow step.
public enum Command: Sendable, Hashable {
    case registerAccount(RegisterAccount)
    case inviteProviders(InviteProviders)
    case acceptInvitation(AcceptInvitation)
    case revokeInvitation(RevokeInvitation)
    case expireInvitation(ExpireInvitation)
    case postJob(PostJob)
    case requestInterview(RequestInterview)
    case acceptInterview(AcceptInterview)
    case declineInterview(DeclineInterview)
    case sendMessage(SendMessage)
    case replyToThread(ReplyToThread)
    case shareContactDetails(ShareContactDetails)
    case createTeam(CreateTeam)
    case inviteToTeam(InviteToTeam)
    case acceptTeamInvitation(AcceptTeamInvitation)
    case leaveTeam(LeaveTeam)
    case removeTeamMember(RemoveTeamMember)
    case enableMarketplaceEmail(EnableMarketplaceEmail)
    case hire(Hire)
    case endAssignment(EndAssignment)
    case recordPayment(RecordPayment)

    /// The command's name in its JSON form (`"command": "InviteProviders"`).
    public var name: String {
        switch self {
        case .registerAccount: return "RegisterAccount"
        case .inviteProviders: return "InviteProviders"
        case .acceptInvitation: return "AcceptInvitation"
        case .revokeInvitation: return "RevokeInvitation"
        case .expireInvitation: return "ExpireInvitation"
        case .postJob: return "PostJob"
        case .requestInterview: return "RequestInterview"
        case .acceptInterview: return "AcceptInterview"
        case .declineInterview: return "DeclineInterview"
        case .sendMessage: return "SendMessage"
        case .replyToThread: return "ReplyToThread"
        case .shareContactDetails: return "ShareContactDetails"
        case .createTeam: return "CreateTeam"
        case .inviteToTeam: return "InviteToTeam"
        case .acceptTeamInvitation: return "AcceptTeamInvitation"
        case .leaveTeam: return "LeaveTeam"
        case .removeTeamMember: return "RemoveTeamMember"
        case .enableMarketplaceEmail: return "EnableMarketplaceEmail"
        case .hire: return "Hire"
        case .endAssignment: return "EndAssignment"
        case .recordPayment: return "RecordPayment"
        }
    }

    /// Every command name, for messages and documentation.
    public static let names: [String] = ["RegisterAccount", "InviteProviders", "AcceptInvitation", "RevokeInvitation", "ExpireInvitation", "PostJob", "RequestInterview", "AcceptInterview", "DeclineInterview", "SendMessage", "ReplyToThread", "ShareContactDetails", "CreateTeam", "InviteToTeam", "AcceptTeamInvitation", "LeaveTeam", "RemoveTeamMember", "EnableMarketplaceEmail", "Hire", "EndAssignment", "RecordPayment"]

    init(name: String, from decoder: any Decoder) throws {
        switch name {
        case "RegisterAccount": self = .registerAccount(try RegisterAccount(from: decoder))
        case "InviteProviders": self = .inviteProviders(try InviteProviders(from: decoder))
        case "AcceptInvitation": self = .acceptInvitation(try AcceptInvitation(from: decoder))
        case "RevokeInvitation": self = .revokeInvitation(try RevokeInvitation(from: decoder))
        case "ExpireInvitation": self = .expireInvitation(try ExpireInvitation(from: decoder))
        case "PostJob": self = .postJob(try PostJob(from: decoder))
        case "RequestInterview": self = .requestInterview(try RequestInterview(from: decoder))
        case "AcceptInterview": self = .acceptInterview(try AcceptInterview(from: decoder))
        case "DeclineInterview": self = .declineInterview(try DeclineInterview(from: decoder))
        case "SendMessage": self = .sendMessage(try SendMessage(from: decoder))
        case "ReplyToThread": self = .replyToThread(try ReplyToThread(from: decoder))
        case "ShareContactDetails": self = .shareContactDetails(try ShareContactDetails(from: decoder))
        case "CreateTeam": self = .createTeam(try CreateTeam(from: decoder))
        case "InviteToTeam": self = .inviteToTeam(try InviteToTeam(from: decoder))
        case "AcceptTeamInvitation": self = .acceptTeamInvitation(try AcceptTeamInvitation(from: decoder))
        case "LeaveTeam": self = .leaveTeam(try LeaveTeam(from: decoder))
        case "RemoveTeamMember": self = .removeTeamMember(try RemoveTeamMember(from: decoder))
        case "EnableMarketplaceEmail": self = .enableMarketplaceEmail(try EnableMarketplaceEmail(from: decoder))
        case "Hire": self = .hire(try Hire(from: decoder))
        case "EndAssignment": self = .endAssignment(try EndAssignment(from: decoder))
        case "RecordPayment": self = .recordPayment(try RecordPayment(from: decoder))
        default:
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "unknown command"))
        }
    }

    func encodeFields(to encoder: any Encoder) throws {
        switch self {
        case .registerAccount(let command): try command.encode(to: encoder)
        case .inviteProviders(let command): try command.encode(to: encoder)
        case .acceptInvitation(let command): try command.encode(to: encoder)
        case .revokeInvitation(let command): try command.encode(to: encoder)
        case .expireInvitation(let command): try command.encode(to: encoder)
        case .postJob(let command): try command.encode(to: encoder)
        case .requestInterview(let command): try command.encode(to: encoder)
        case .acceptInterview(let command): try command.encode(to: encoder)
        case .declineInterview(let command): try command.encode(to: encoder)
        case .sendMessage(let command): try command.encode(to: encoder)
        case .replyToThread(let command): try command.encode(to: encoder)
        case .shareContactDetails(let command): try command.encode(to: encoder)
        case .createTeam(let command): try command.encode(to: encoder)
        case .inviteToTeam(let command): try command.encode(to: encoder)
        case .acceptTeamInvitation(let command): try command.encode(to: encoder)
        case .leaveTeam(let command): try command.encode(to: encoder)
        case .removeTeamMember(let command): try command.encode(to: encoder)
        case .enableMarketplaceEmail(let command): try command.encode(to: encoder)
        case .hire(let command): try command.encode(to: encoder)
        case .endAssignment(let command): try command.encode(to: encoder)
        case .recordPayment(let command): try command.encode(to: encoder)
        }
    }
}
