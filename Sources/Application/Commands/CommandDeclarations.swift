import Events
public import Marketplace

// Each command's declaration (`CommandForm`): who may send it, its fields, an example. The payload structs
// are in Marketplace/Commands/CommandPayloads.swift, in the same order.

private let roles = AccountRole.allCases.map(\.rawValue)

extension RegisterAccount: DeclaredCommand {
    public static let form = CommandForm(for: Self.self, abstract: "Open an account.", who: "anyone", fields: [
        .optional("userId", "The new user's id (generated when absent)."),
        .required("role", .choice(roles), "The account's role."),
        .required("name", "The user's display name."),
        .required("email", "The user's email address (personal data)."),
    ], example: ["actor": "u-ann", "userId": "u-ann", "role": "buyer", "name": "Ann Lee", "email": "ann@example.com"])
}

extension InviteProviders: DeclaredCommand {
    public static let form = CommandForm(
        for: Self.self, aliases: ["invite-provider"], abstract: "Invite email addresses to join the network as providers.",
        who: "a buyer (admin of --team-id), a provider (member of --team-id), an affiliate manager", fields: [
            .required("emails", .list, flag: "email", "An address to invite (repeat for several, at most 100)."),
            .optional("teamId", "Team the new providers join on signup."),
            .optional("invitationIds", .list, flag: "invitation-id", "One invitation id per address (generated when absent)."),
            .optional("tokens", .list, flag: "token", "One token secret per address (generated when absent)."),
        ], example: ["actor": "u-amy", "emails": "raj@example.com", "emails": "lena@example.org"])
}

extension AcceptInvitation: DeclaredCommand {
    public static let form = CommandForm(for: Self.self, abstract: "Sign up through an invitation's token.", who: "the invitee", fields: [
        .required("token", "The signup token from the invitation (<invitationId>.<secret>)."),
        .required("name", "The new provider's display name."),
        .optional("userId", "The new user's id (generated when absent)."),
    ], example: ["actor": "anonymous", "token": "inv-raj.k1", "name": "Raj Patel", "userId": "u-raj"])
}

extension RevokeInvitation: DeclaredCommand {
    public static let form = CommandForm(for: Self.self, abstract: "Withdraw a pending invitation.", who: "the inviter",
                                         fields: [.required("invitationId", "The invitation to revoke.")],
                                         example: ["actor": "u-amy", "invitationId": "inv-raj"])
}

extension ExpireInvitation: DeclaredCommand {
    public static let form = CommandForm(for: Self.self, abstract: "Expire a pending invitation (the expiry sweep).", who: "system",
                                         fields: [.required("invitationId", "The invitation to expire.")],
                                         example: ["actor": "system", "invitationId": "inv-raj"])
}

extension PostJob: DeclaredCommand {
    public static let form = CommandForm(for: Self.self, abstract: "Post a job, public or private.", who: "a buyer, a provider company", fields: [
        .optional("jobId", "The job's id (generated when absent)."),
        .required("title", "The job's title."),
        .required("description", "The job's description."),
        .required("visibility", .choice(JobVisibility.allCases.map(\.rawValue)), "Who sees the post."),
        .optional("purpose", .choice(JobPurpose.allCases.map(\.rawValue)), "work (default), or affiliateRecruitment (private only)."),
    ], example: ["actor": "u-acme", "jobId": "j-1", "title": "Contractors", "description": "Join us", "visibility": "private",
                 "purpose": "affiliateRecruitment"])
}

extension RequestInterview: DeclaredCommand {
    public static let form = CommandForm(
        for: Self.self, abstract: "Invite a provider to an interview, with a message.", who: "the job's poster", fields: [
            .required("jobId", "The job."),
            .required("providerId", "The provider invited."),
            .required("message", "The invitation message (lands in the provider's inbox)."),
            .optional("subject", "The thread's subject."),
            .optional("interviewId", "The interview's id (generated when absent)."),
            .optional("threadId", "The thread's id (generated when absent)."),
            .optional("messageId", "The message's id (generated when absent)."),
        ], example: ["actor": "u-acme", "jobId": "j-1", "providerId": "u-sam", "message": "Would you talk with us?"])
}

extension AcceptInterview: DeclaredCommand {
    public static let form = CommandForm(for: Self.self, abstract: "Accept an interview.", who: "the invited provider",
                                         fields: [.required("interviewId", "The interview.")],
                                         example: ["actor": "u-sam", "interviewId": "iv-1"])
}

extension DeclineInterview: DeclaredCommand {
    public static let form = CommandForm(for: Self.self, abstract: "Decline an interview.", who: "the invited provider", fields: [
        .required("interviewId", "The interview."),
        .optional("reason", "Why."),
    ], example: ["actor": "u-sam", "interviewId": "iv-1", "reason": "Fully booked"])
}

extension SendMessage: DeclaredCommand {
    public static let form = CommandForm(
        for: Self.self, abstract: "Send a user-to-user message (starts a thread; no attachments).",
        who: "any user (team members with --team-id)", fields: [
            .required("recipientId", "The recipient."),
            .required("subject", "The thread's subject."),
            .required("body", "The message."),
            .optional("attachments", .list, flag: "attachment", "Rejected: user-to-user messages carry no attachments."),
            .optional("teamId", "Send from this team's room."),
            .optional("threadId", "The thread's id (generated when absent)."),
            .optional("messageId", "The message's id (generated when absent)."),
        ], example: ["actor": "u-bob", "recipientId": "u-kim", "subject": "Hello", "body": "Welcome aboard"])
}

extension ReplyToThread: DeclaredCommand {
    public static let form = CommandForm(for: Self.self, aliases: ["reply"], abstract: "Reply in a thread.", who: "the thread's participants", fields: [
        .required("threadId", "The thread."),
        .required("body", "The message."),
        .optional("attachments", .list, flag: "attachment", "Rejected: user-to-user messages carry no attachments."),
        .optional("messageId", "The message's id (generated when absent)."),
    ], example: ["actor": "u-sam", "threadId": "th-1", "body": "Happy to talk"])
}

extension ShareContactDetails: DeclaredCommand {
    public static let form = CommandForm(for: Self.self, abstract: "Share contact details in a thread.", who: "the thread's participants", fields: [
        .required("threadId", "The thread."),
        .required("kind", .choice(ContactKind.allCases.map(\.rawValue)), "marketplaceAddress (USERID@odesk.com only) or personal."),
        .optional("email", "A personal address (kind personal)."),
        .optional("phone", "A phone number (kind personal)."),
    ], example: ["actor": "u-sam", "threadId": "th-1", "kind": "marketplaceAddress"])
}

extension CreateTeam: DeclaredCommand {
    public static let form = CommandForm(for: Self.self, abstract: "Create a team (team room); the creator is its admin.",
                                         who: "a buyer, a provider company", fields: [
        .optional("teamId", "The team's id (generated when absent)."),
        .required("name", "The team's name."),
    ], example: ["actor": "u-acme", "teamId": "t-acme", "name": "Acme Contractors"])
}

extension InviteToTeam: DeclaredCommand {
    public static let form = CommandForm(for: Self.self, abstract: "Invite a member to a team by email or by user id.",
                                         who: "the team's admins", fields: [
        .required("teamId", "The team."),
        .optional("userId", "The invitee's user id (or --email)."),
        .optional("email", "The invitee's address (or --user-id)."),
        .optional("role", .choice(TeamRole.allCases.map(\.rawValue)), "The role (default member)."),
        .optional("invitationId", "The invitation's id (generated when absent)."),
    ], example: ["actor": "u-acme", "teamId": "t-acme", "userId": "u-sam", "role": "affiliatedContractor"])
}

extension AcceptTeamInvitation: DeclaredCommand {
    public static let form = CommandForm(for: Self.self, abstract: "Accept a team invitation.", who: "the invitee",
                                         fields: [.required("teamId", "The team."), .required("invitationId", "The invitation.")],
                                         example: ["actor": "u-sam", "teamId": "t-acme", "invitationId": "ti-1"])
}

extension LeaveTeam: DeclaredCommand {
    public static let form = CommandForm(for: Self.self, abstract: "Leave a team.", who: "a member (not the last admin of a team with members)",
                                         fields: [.required("teamId", "The team.")],
                                         example: ["actor": "u-sam", "teamId": "t-acme"])
}

extension RemoveTeamMember: DeclaredCommand {
    public static let form = CommandForm(for: Self.self, abstract: "Remove a member from a team.", who: "the team's admins",
                                         fields: [.required("teamId", "The team."), .required("userId", "The member to remove.")],
                                         example: ["actor": "u-acme", "teamId": "t-acme", "userId": "u-sam"])
}

extension EnableMarketplaceEmail: DeclaredCommand {
    public static let form = CommandForm(for: Self.self, abstract: "Put your USERID@odesk.com address on your teams' mailing lists.",
                                         who: "a buyer, once", fields: [], example: ["actor": "u-bob"])
}

extension Hire: DeclaredCommand {
    public static let form = CommandForm(for: Self.self, abstract: "Hire a provider for a job (opens an assignment).", who: "the job's poster", fields: [
        .required("jobId", "The job."),
        .required("providerId", "The provider hired."),
        .required("staffingManagerId", "The assignment's staffing manager."),
        .optional("assignmentId", "The assignment's id (generated when absent)."),
    ], example: ["actor": "u-bob", "jobId": "j-site", "providerId": "u-kim", "staffingManagerId": "u-sue", "assignmentId": "a-1"])
}

extension EndAssignment: DeclaredCommand {
    public static let form = CommandForm(for: Self.self, abstract: "End an assignment.", who: "a party",
                                         fields: [.required("assignmentId", "The assignment.")],
                                         example: ["actor": "u-bob", "assignmentId": "a-1"])
}

extension RecordPayment: DeclaredCommand {
    public static let form = CommandForm(for: Self.self, abstract: "Record a payment on an assignment.",
                                         who: "the buyer or the staffing manager", fields: [
        .required("assignmentId", "The assignment."),
        .required("amountCents", .integer, "The amount in cents."),
        .required("currency", "ISO 4217 code, e.g. USD."),
        .optional("paymentId", "The payment's id (generated when absent)."),
    ], example: ["actor": "u-bob", "assignmentId": "a-1", "amountCents": "50000", "currency": "USD"])
}
