/// How streams are named. A stream holds the events of one thing; its name is `<kind>-<id>` (the kinds,
/// `StreamKind`, are generated from Events/catalogue.json).
public enum StreamName {
    /// An account: `AccountRegistered`, `MarketplaceEmailEnabled`.
    public static func user(_ userId: String) -> String { StreamKind.user.name(userId) }
    /// An email address (normalized: trimmed, lower-cased): `EmailAddressClaimed`. Guards one account per address.
    public static func email(_ normalizedEmail: String) -> String { StreamKind.email.name(normalizedEmail) }
    /// An invitation to the network: `ProviderInvited`, `InviteAccepted`, `InvitationRevoked`, `InvitationExpired`.
    public static func invitation(_ invitationId: String) -> String { StreamKind.invitation.name(invitationId) }
    /// An affiliate manager's roster: `AffiliateRosterJoined`.
    public static func roster(_ affiliateManagerId: String) -> String { StreamKind.roster.name(affiliateManagerId) }
    /// A job: `JobPosted`.
    public static func job(_ jobId: String) -> String { StreamKind.job.name(jobId) }
    /// An interview: `InterviewRequested`, `InterviewAccepted`, `InterviewDeclined`.
    public static func interview(_ interviewId: String) -> String { StreamKind.interview.name(interviewId) }
    /// A Message Center thread: `ThreadStarted`, `MessageSent`, `ContactDetailsShared`.
    public static func thread(_ threadId: String) -> String { StreamKind.thread.name(threadId) }
    /// A team: `TeamCreated`, `TeamInvitationSent`, `TeamMemberAdded`, `TeamMemberLeft`, `TeamMemberRemoved`.
    public static func team(_ teamId: String) -> String { StreamKind.team.name(teamId) }
    /// An assignment: `ProviderHired`, `AssignmentEnded`, `PaymentRecorded`.
    public static func assignment(_ assignmentId: String) -> String { StreamKind.assignment.name(assignmentId) }
    /// The delivery of an invitation's email: `InvitationEmailSent`, `InvitationEmailFailed` (apart from the
    /// invitation's own stream, so recording a delivery never conflicts with the invitee's signup).
    public static func mail(_ invitationId: String) -> String { StreamKind.mail.name(invitationId) }
}
