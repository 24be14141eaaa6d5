public import Events

// The commands' payloads. JSON form: the envelope's keys (`command`, `actor`, `commandId`, `correlationId`)
// and the command's fields side by side in one object; see docs/EVENTS.md.

/// Opens an account (buyer, provider, provider company, affiliate manager, staffing manager).
public struct RegisterAccount: Codable, Sendable, Hashable {
    public var userId: String?
    public var role: AccountRole
    public var name: String
    public var email: String

    public init(userId: String? = nil, role: AccountRole, name: String, email: String) {
        self.userId = userId
        self.role = role
        self.name = name
        self.email = email
    }
}

/// Invites one or several email addresses to join the network as providers. With `teamId`, the new providers join that team on signup.
/// `invitationIds` and `tokens` (one per address) are generated when absent.
public struct InviteProviders: Codable, Sendable, Hashable {
    public var emails: [String]
    public var teamId: String?
    public var invitationIds: [String]?
    public var tokens: [String]?

    public init(emails: [String], teamId: String? = nil, invitationIds: [String]? = nil, tokens: [String]? = nil) {
        self.emails = emails
        self.teamId = teamId
        self.invitationIds = invitationIds
        self.tokens = tokens
    }
}

/// Signs up through an invitation's token: creates the provider's account.
public struct AcceptInvitation: Codable, Sendable, Hashable {
    public var token: String
    public var name: String
    public var userId: String?

    public init(token: String, name: String, userId: String? = nil) {
        self.token = token
        self.name = name
        self.userId = userId
    }
}

/// The inviter withdraws a pending invitation.
public struct RevokeInvitation: Codable, Sendable, Hashable {
    public var invitationId: String

    public init(invitationId: String) {
        self.invitationId = invitationId
    }
}

/// The system's expiry sweep ends a pending invitation (actor `system`).
public struct ExpireInvitation: Codable, Sendable, Hashable {
    public var invitationId: String

    public init(invitationId: String) {
        self.invitationId = invitationId
    }
}

/// Posts a job, public or private. `purpose` defaults to `work`.
public struct PostJob: Codable, Sendable, Hashable {
    public var jobId: String?
    public var title: String
    public var description: String
    public var visibility: JobVisibility
    public var purpose: JobPurpose?

    public init(jobId: String? = nil, title: String, description: String, visibility: JobVisibility, purpose: JobPurpose? = nil) {
        self.jobId = jobId
        self.title = title
        self.description = description
        self.visibility = visibility
        self.purpose = purpose
    }
}

/// The job's poster invites a provider to an interview with a message; opens a thread.
public struct RequestInterview: Codable, Sendable, Hashable {
    public var jobId: String
    public var providerId: String
    public var message: String
    public var subject: String?
    public var interviewId: String?
    public var threadId: String?
    public var messageId: String?

    public init(jobId: String, providerId: String, message: String, subject: String? = nil, interviewId: String? = nil, threadId: String? = nil, messageId: String? = nil) {
        self.jobId = jobId
        self.providerId = providerId
        self.message = message
        self.subject = subject
        self.interviewId = interviewId
        self.threadId = threadId
        self.messageId = messageId
    }
}

/// The provider accepts an interview.
public struct AcceptInterview: Codable, Sendable, Hashable {
    public var interviewId: String

    public init(interviewId: String) {
        self.interviewId = interviewId
    }
}

/// The provider declines an interview.
public struct DeclineInterview: Codable, Sendable, Hashable {
    public var interviewId: String
    public var reason: String?

    public init(interviewId: String, reason: String? = nil) {
        self.interviewId = interviewId
        self.reason = reason
    }
}

/// Sends a user-to-user message, starting a thread (from a team room when `teamId` is set). No attachments.
public struct SendMessage: Codable, Sendable, Hashable {
    public var recipientId: String
    public var subject: String
    public var body: String
    public var attachments: [String]?
    public var teamId: String?
    public var threadId: String?
    public var messageId: String?

    public init(recipientId: String, subject: String, body: String, attachments: [String]? = nil, teamId: String? = nil, threadId: String? = nil, messageId: String? = nil) {
        self.recipientId = recipientId
        self.subject = subject
        self.body = body
        self.attachments = attachments
        self.teamId = teamId
        self.threadId = threadId
        self.messageId = messageId
    }
}

/// Writes in an existing thread (participants only). No attachments.
public struct ReplyToThread: Codable, Sendable, Hashable {
    public var threadId: String
    public var body: String
    public var attachments: [String]?
    public var messageId: String?

    public init(threadId: String, body: String, attachments: [String]? = nil, messageId: String? = nil) {
        self.threadId = threadId
        self.body = body
        self.attachments = attachments
        self.messageId = messageId
    }
}

/// Shares contact details in a thread: only the marketplace address, or a personal email (and phone).
public struct ShareContactDetails: Codable, Sendable, Hashable {
    public var threadId: String
    public var kind: ContactKind
    public var email: String?
    public var phone: String?

    public init(threadId: String, kind: ContactKind, email: String? = nil, phone: String? = nil) {
        self.threadId = threadId
        self.kind = kind
        self.email = email
        self.phone = phone
    }
}

/// Creates a team (team room); the creator is its admin.
public struct CreateTeam: Codable, Sendable, Hashable {
    public var teamId: String?
    public var name: String

    public init(teamId: String? = nil, name: String) {
        self.teamId = teamId
        self.name = name
    }
}

/// A team admin invites a member by email or by user id (exactly one). `role` defaults to `member`.
public struct InviteToTeam: Codable, Sendable, Hashable {
    public var teamId: String
    public var userId: String?
    public var email: String?
    public var role: TeamRole?
    public var invitationId: String?

    public init(teamId: String, userId: String? = nil, email: String? = nil, role: TeamRole? = nil, invitationId: String? = nil) {
        self.teamId = teamId
        self.userId = userId
        self.email = email
        self.role = role
        self.invitationId = invitationId
    }
}

/// The invitee accepts a team invitation.
public struct AcceptTeamInvitation: Codable, Sendable, Hashable {
    public var teamId: String
    public var invitationId: String

    public init(teamId: String, invitationId: String) {
        self.teamId = teamId
        self.invitationId = invitationId
    }
}

/// A member leaves a team.
public struct LeaveTeam: Codable, Sendable, Hashable {
    public var teamId: String

    public init(teamId: String) {
        self.teamId = teamId
    }
}

/// A team admin removes a member.
public struct RemoveTeamMember: Codable, Sendable, Hashable {
    public var teamId: String
    public var userId: String

    public init(teamId: String, userId: String) {
        self.teamId = teamId
        self.userId = userId
    }
}

/// A buyer enables their marketplace address `USERID@odesk.com`.
public struct EnableMarketplaceEmail: Codable, Sendable, Hashable {

    public init() {
    }
}

/// The job's poster hires a provider: an assignment with a staffing manager as third party.
public struct Hire: Codable, Sendable, Hashable {
    public var jobId: String
    public var providerId: String
    public var staffingManagerId: String
    public var assignmentId: String?

    public init(jobId: String, providerId: String, staffingManagerId: String, assignmentId: String? = nil) {
        self.jobId = jobId
        self.providerId = providerId
        self.staffingManagerId = staffingManagerId
        self.assignmentId = assignmentId
    }
}

/// A party ends an assignment.
public struct EndAssignment: Codable, Sendable, Hashable {
    public var assignmentId: String

    public init(assignmentId: String) {
        self.assignmentId = assignmentId
    }
}

/// The buyer or staffing manager records a payment, in cents.
public struct RecordPayment: Codable, Sendable, Hashable {
    public var assignmentId: String
    public var amountCents: Int
    public var currency: String
    public var paymentId: String?

    public init(assignmentId: String, amountCents: Int, currency: String, paymentId: String? = nil) {
        self.assignmentId = assignmentId
        self.amountCents = amountCents
        self.currency = currency
        self.paymentId = paymentId
    }
}
