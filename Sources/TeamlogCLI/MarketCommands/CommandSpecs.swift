import Events

/// Every marketplace command, as a table the generic subcommand reads (`MarketCommand`).
enum CommandSpecs {
    typealias F = CommandSpec.Field

    static let roles = AccountRole.allCases.map(\.rawValue)
    static let teamRoles = TeamRole.allCases.map(\.rawValue)

    static let all: [CommandSpec] = [
        CommandSpec(name: "register-account", command: "RegisterAccount", abstract: "Open an account.", who: "anyone", fields: [
            .optional("userId", "The new user's id (generated when absent)."),
            F("role", .choice(roles), "The account's role."),
            F("name", "The user's display name."),
            F("email", "The user's email address (personal data)."),
        ], example: "teamlog register-account --actor u-ann --user-id u-ann --role buyer --name 'Ann Lee' --email ann@example.com"),
        CommandSpec(name: "invite-providers", command: "InviteProviders", aliases: ["invite-provider"],
                    abstract: "Invite email addresses to join the network as providers.",
                    who: "a buyer (admin of --team-id), a provider (member of --team-id), an affiliate manager", fields: [
            F("emails", .list, flag: "email", "An address to invite (repeat for several, at most 100)."),
            .optional("teamId", "Team the new providers join on signup."),
            .optional("invitationIds", .list, flag: "invitation-id", "One invitation id per address (generated when absent)."),
            .optional("tokens", .list, flag: "token", "One token secret per address (generated when absent)."),
        ], example: "teamlog invite-providers --actor u-amy --email raj@example.com --email lena@example.org"),
        CommandSpec(name: "accept-invitation", command: "AcceptInvitation", abstract: "Sign up through an invitation's token.",
                    who: "the invitee", fields: [
            F("token", "The signup token from the invitation (<invitationId>.<secret>)."),
            F("name", "The new provider's display name."),
            .optional("userId", "The new user's id (generated when absent)."),
        ], example: "teamlog accept-invitation --actor anonymous --token inv-raj.k1 --name 'Raj Patel' --user-id u-raj"),
        CommandSpec(name: "revoke-invitation", command: "RevokeInvitation", abstract: "Withdraw a pending invitation.",
                    who: "the inviter", fields: [F("invitationId", "The invitation to revoke.")],
                    example: "teamlog revoke-invitation --actor u-amy --invitation-id inv-raj"),
        CommandSpec(name: "expire-invitation", command: "ExpireInvitation", abstract: "Expire a pending invitation (the expiry sweep).",
                    who: "system", fields: [F("invitationId", "The invitation to expire.")],
                    example: "teamlog expire-invitation --actor system --invitation-id inv-raj"),
        CommandSpec(name: "post-job", command: "PostJob", abstract: "Post a job, public or private.", who: "a buyer, a provider company", fields: [
            .optional("jobId", "The job's id (generated when absent)."),
            F("title", "The job's title."),
            F("description", "The job's description."),
            F("visibility", .choice(JobVisibility.allCases.map(\.rawValue)), "Who sees the post."),
            .optional("purpose", .choice(JobPurpose.allCases.map(\.rawValue)), "work (default), or affiliateRecruitment (private only)."),
        ], example: "teamlog post-job --actor u-acme --job-id j-1 --title 'Contractors' --description 'Join us' --visibility private --purpose affiliateRecruitment"),
        CommandSpec(name: "request-interview", command: "RequestInterview", abstract: "Invite a provider to an interview, with a message.",
                    who: "the job's poster", fields: [
            F("jobId", "The job."),
            F("providerId", "The provider invited."),
            F("message", "The invitation message (lands in the provider's inbox)."),
            .optional("subject", "The thread's subject."),
            .optional("interviewId", "The interview's id (generated when absent)."),
            .optional("threadId", "The thread's id (generated when absent)."),
            .optional("messageId", "The message's id (generated when absent)."),
        ], example: "teamlog request-interview --actor u-acme --job-id j-1 --provider-id u-sam --message 'Would you talk with us?'"),
        CommandSpec(name: "accept-interview", command: "AcceptInterview", abstract: "Accept an interview.", who: "the invited provider",
                    fields: [F("interviewId", "The interview.")], example: "teamlog accept-interview --actor u-sam --interview-id iv-1"),
        CommandSpec(name: "decline-interview", command: "DeclineInterview", abstract: "Decline an interview.", who: "the invited provider", fields: [
            F("interviewId", "The interview."),
            .optional("reason", "Why."),
        ], example: "teamlog decline-interview --actor u-sam --interview-id iv-1 --reason 'Fully booked'"),
        CommandSpec(name: "send-message", command: "SendMessage", abstract: "Send a user-to-user message (starts a thread; no attachments).",
                    who: "any user (team members with --team-id)", fields: [
            F("recipientId", "The recipient."),
            F("subject", "The thread's subject."),
            F("body", "The message."),
            .optional("attachments", .list, flag: "attachment", "Rejected: user-to-user messages carry no attachments."),
            .optional("teamId", "Send from this team's room."),
            .optional("threadId", "The thread's id (generated when absent)."),
            .optional("messageId", "The message's id (generated when absent)."),
        ], example: "teamlog send-message --actor u-bob --recipient-id u-kim --subject Hello --body 'Welcome aboard'"),
        CommandSpec(name: "reply-to-thread", command: "ReplyToThread", aliases: ["reply"], abstract: "Reply in a thread.",
                    who: "the thread's participants", fields: [
            F("threadId", "The thread."),
            F("body", "The message."),
            .optional("attachments", .list, flag: "attachment", "Rejected: user-to-user messages carry no attachments."),
            .optional("messageId", "The message's id (generated when absent)."),
        ], example: "teamlog reply-to-thread --actor u-sam --thread-id th-1 --body 'Happy to talk'"),
        CommandSpec(name: "share-contact-details", command: "ShareContactDetails", abstract: "Share contact details in a thread.",
                    who: "the thread's participants", fields: [
            F("threadId", "The thread."),
            F("kind", .choice(ContactKind.allCases.map(\.rawValue)), "marketplaceAddress (USERID@odesk.com only) or personal."),
            .optional("email", "A personal address (kind personal)."),
            .optional("phone", "A phone number (kind personal)."),
        ], example: "teamlog share-contact-details --actor u-sam --thread-id th-1 --kind marketplaceAddress"),
        CommandSpec(name: "create-team", command: "CreateTeam", abstract: "Create a team (team room); the creator is its admin.",
                    who: "a buyer, a provider company", fields: [
            .optional("teamId", "The team's id (generated when absent)."),
            F("name", "The team's name."),
        ], example: "teamlog create-team --actor u-acme --team-id t-acme --name 'Acme Contractors'"),
        CommandSpec(name: "invite-to-team", command: "InviteToTeam", abstract: "Invite a member to a team by email or by user id.",
                    who: "the team's admins", fields: [
            F("teamId", "The team."),
            .optional("userId", "The invitee's user id (or --email)."),
            .optional("email", "The invitee's address (or --user-id)."),
            .optional("role", .choice(teamRoles), "The role (default member)."),
            .optional("invitationId", "The invitation's id (generated when absent)."),
        ], example: "teamlog invite-to-team --actor u-acme --team-id t-acme --user-id u-sam --role affiliatedContractor"),
        CommandSpec(name: "accept-team-invitation", command: "AcceptTeamInvitation", abstract: "Accept a team invitation.",
                    who: "the invitee", fields: [F("teamId", "The team."), F("invitationId", "The invitation.")],
                    example: "teamlog accept-team-invitation --actor u-sam --team-id t-acme --invitation-id ti-1"),
        CommandSpec(name: "leave-team", command: "LeaveTeam", abstract: "Leave a team.", who: "a member",
                    fields: [F("teamId", "The team.")], example: "teamlog leave-team --actor u-sam --team-id t-acme"),
        CommandSpec(name: "remove-team-member", command: "RemoveTeamMember", abstract: "Remove a member from a team.",
                    who: "the team's admins", fields: [F("teamId", "The team."), F("userId", "The member to remove.")],
                    example: "teamlog remove-team-member --actor u-acme --team-id t-acme --user-id u-sam"),
        CommandSpec(name: "enable-marketplace-email", command: "EnableMarketplaceEmail",
                    abstract: "Put your USERID@odesk.com address on your teams' mailing lists.", who: "a buyer, once", fields: [],
                    example: "teamlog enable-marketplace-email --actor u-bob"),
        CommandSpec(name: "hire", command: "Hire", abstract: "Hire a provider for a job (opens an assignment).", who: "the job's poster", fields: [
            F("jobId", "The job."),
            F("providerId", "The provider hired."),
            F("staffingManagerId", "The assignment's staffing manager."),
            .optional("assignmentId", "The assignment's id (generated when absent)."),
        ], example: "teamlog hire --actor u-bob --job-id j-site --provider-id u-kim --staffing-manager-id u-sue --assignment-id a-1"),
        CommandSpec(name: "end-assignment", command: "EndAssignment", abstract: "End an assignment.", who: "a party",
                    fields: [F("assignmentId", "The assignment.")], example: "teamlog end-assignment --actor u-bob --assignment-id a-1"),
        CommandSpec(name: "record-payment", command: "RecordPayment", abstract: "Record a payment on an assignment.",
                    who: "the buyer or the staffing manager", fields: [
            F("assignmentId", "The assignment."),
            F("amountCents", .integer, "The amount in cents."),
            F("currency", "ISO 4217 code, e.g. USD."),
            .optional("paymentId", "The payment's id (generated when absent)."),
        ], example: "teamlog record-payment --actor u-bob --assignment-id a-1 --amount-cents 50000 --currency USD"),
    ]

    static func spec(command: String) -> CommandSpec {
        all.first { $0.command == command }
            ?? CommandSpec(name: command.lowercased(), command: command, abstract: "", who: "", fields: [], example: "")
    }
}
