import ArgumentParser

// One slot per marketplace command: the subcommands are `MarketCommand<Slot>`, all driven by `CommandSpecs`.
enum RegisterAccountSlot: CommandSlot { static let command = "RegisterAccount" }
enum InviteProvidersSlot: CommandSlot { static let command = "InviteProviders" }
enum AcceptInvitationSlot: CommandSlot { static let command = "AcceptInvitation" }
enum RevokeInvitationSlot: CommandSlot { static let command = "RevokeInvitation" }
enum ExpireInvitationSlot: CommandSlot { static let command = "ExpireInvitation" }
enum PostJobSlot: CommandSlot { static let command = "PostJob" }
enum RequestInterviewSlot: CommandSlot { static let command = "RequestInterview" }
enum AcceptInterviewSlot: CommandSlot { static let command = "AcceptInterview" }
enum DeclineInterviewSlot: CommandSlot { static let command = "DeclineInterview" }
enum SendMessageSlot: CommandSlot { static let command = "SendMessage" }
enum ReplyToThreadSlot: CommandSlot { static let command = "ReplyToThread" }
enum ShareContactDetailsSlot: CommandSlot { static let command = "ShareContactDetails" }
enum CreateTeamSlot: CommandSlot { static let command = "CreateTeam" }
enum InviteToTeamSlot: CommandSlot { static let command = "InviteToTeam" }
enum AcceptTeamInvitationSlot: CommandSlot { static let command = "AcceptTeamInvitation" }
enum LeaveTeamSlot: CommandSlot { static let command = "LeaveTeam" }
enum RemoveTeamMemberSlot: CommandSlot { static let command = "RemoveTeamMember" }
enum EnableMarketplaceEmailSlot: CommandSlot { static let command = "EnableMarketplaceEmail" }
enum HireSlot: CommandSlot { static let command = "Hire" }
enum EndAssignmentSlot: CommandSlot { static let command = "EndAssignment" }
enum RecordPaymentSlot: CommandSlot { static let command = "RecordPayment" }

enum MarketCommands {
    static let all: [any ParsableCommand.Type] = [
        MarketCommand<RegisterAccountSlot>.self, MarketCommand<InviteProvidersSlot>.self,
        MarketCommand<AcceptInvitationSlot>.self, MarketCommand<RevokeInvitationSlot>.self,
        MarketCommand<ExpireInvitationSlot>.self, MarketCommand<PostJobSlot>.self,
        MarketCommand<RequestInterviewSlot>.self, MarketCommand<AcceptInterviewSlot>.self,
        MarketCommand<DeclineInterviewSlot>.self, MarketCommand<SendMessageSlot>.self,
        MarketCommand<ReplyToThreadSlot>.self, MarketCommand<ShareContactDetailsSlot>.self,
        MarketCommand<CreateTeamSlot>.self, MarketCommand<InviteToTeamSlot>.self,
        MarketCommand<AcceptTeamInvitationSlot>.self, MarketCommand<LeaveTeamSlot>.self,
        MarketCommand<RemoveTeamMemberSlot>.self, MarketCommand<EnableMarketplaceEmailSlot>.self,
        MarketCommand<HireSlot>.self, MarketCommand<EndAssignmentSlot>.self, MarketCommand<RecordPaymentSlot>.self,
    ]
}
