/// How streams are named. A stream holds the events of one thing; its name is `<kind>-<id>`.
public enum StreamName {
    /// An account: `AccountRegistered`, `MarketplaceEmailEnabled`.
    public static func user(_ userId: String) -> String { "user-" + userId }
    /// An email address (normalized: trimmed, lower-cased): `EmailAddressClaimed`. Guards one account per address.
    public static func email(_ normalizedEmail: String) -> String { "email-" + normalizedEmail }
    /// An invitation to the network: `ProviderInvited`, `InviteAccepted`, `InvitationRevoked`, `InvitationExpired`.
    public static func invitation(_ invitationId: String) -> String { "invitation-" + invitationId }
    /// An affiliate manager's roster: `AffiliateRosterJoined`.
    public static func roster(_ affiliateManagerId: String) -> String { "roster-" + affiliateManagerId }
    /// A job: `JobPosted`.
    public static func job(_ jobId: String) -> String { "job-" + jobId }
    /// An interview: `InterviewRequested`, `InterviewAccepted`, `InterviewDeclined`.
    public static func interview(_ interviewId: String) -> String { "interview-" + interviewId }
    /// A Message Center thread: `ThreadStarted`, `MessageSent`, `ContactDetailsShared`.
    public static func thread(_ threadId: String) -> String { "thread-" + threadId }
    /// A team: `TeamCreated`, `TeamInvitationSent`, `TeamMemberAdded`, `TeamMemberLeft`, `TeamMemberRemoved`.
    public static func team(_ teamId: String) -> String { "team-" + teamId }
    /// An assignment: `ProviderHired`, `AssignmentEnded`, `PaymentRecorded`.
    public static func assignment(_ assignmentId: String) -> String { "assignment-" + assignmentId }
}
