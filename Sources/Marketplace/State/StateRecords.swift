import Events

// The rows that decisions read. Each record keeps `version`, its stream's version in the log, which
// commands put in their expectations. Field names are written in sorted order. Every stored property
// has a default, so Swift writes both the blank `init()` the reader fills in and the memberwise init.

struct UserRecord: FlatStateRecord, Hashable {
    static let keyPrefix = "user:"
    var userId: String = ""
    var role: AccountRole = .buyer
    var marketplaceEmail: Bool = false
    var version: Int = 0

    static let fields = PayloadFields<UserRecord>([
        .defaulted("marketplaceEmail", \.marketplaceEmail), PayloadField("role", \.role),
        PayloadField("userId", \.userId), .defaulted("version", \.version),
    ])
}

enum InvitationStatus: String, PayloadChoice {
    case pending, accepted, revoked, expired
}

struct InvitationRecord: FlatStateRecord, Hashable {
    static let keyPrefix = "invitation:"
    var invitationId: String = ""
    var invitedBy: String = ""
    var email: String = ""
    var teamId: String?
    var token: String = ""
    var status: InvitationStatus = .pending
    var version: Int = 0

    static let fields = PayloadFields<InvitationRecord>([
        PayloadField("email", \.email), PayloadField("invitationId", \.invitationId),
        PayloadField("invitedBy", \.invitedBy), PayloadField("status", \.status), PayloadField("teamId", \.teamId),
        PayloadField("token", \.token), .defaulted("version", \.version),
    ])
}

struct JobRecord: FlatStateRecord, Hashable {
    static let keyPrefix = "job:"
    var jobId: String = ""
    var postedBy: String = ""
    var visibility: JobVisibility = .private
    var purpose: JobPurpose = .work
    var version: Int = 0

    static let fields = PayloadFields<JobRecord>([
        PayloadField("jobId", \.jobId), PayloadField("postedBy", \.postedBy), PayloadField("purpose", \.purpose),
        .defaulted("version", \.version), PayloadField("visibility", \.visibility),
    ])
}

enum InterviewStatus: String, PayloadChoice {
    case pending, accepted, declined
}

struct InterviewRecord: FlatStateRecord, Hashable {
    static let keyPrefix = "interview:"
    var interviewId: String = ""
    var jobId: String = ""
    var providerId: String = ""
    var threadId: String = ""
    var status: InterviewStatus = .pending
    var version: Int = 0

    static let fields = PayloadFields<InterviewRecord>([
        PayloadField("interviewId", \.interviewId), PayloadField("jobId", \.jobId),
        PayloadField("providerId", \.providerId), PayloadField("status", \.status),
        PayloadField("threadId", \.threadId), .defaulted("version", \.version),
    ])
}

/// A thread's participants (fixed when it starts; messages do not change it).
struct ThreadRecord: FlatStateRecord, Hashable {
    static let keyPrefix = "thread:"
    var threadId: String = ""
    var participants: [String] = []

    static let fields = PayloadFields<ThreadRecord>([
        .defaulted("participants", \.participants), PayloadField("threadId", \.threadId),
    ])
}

struct AssignmentRecord: FlatStateRecord, Hashable {
    static let keyPrefix = "assignment:"
    var assignmentId: String = ""
    var buyerId: String = ""
    var providerId: String = ""
    var staffingManagerId: String = ""
    var ended: Bool = false
    var version: Int = 0

    var parties: [String] { [buyerId, providerId, staffingManagerId] }

    static let fields = PayloadFields<AssignmentRecord>([
        PayloadField("assignmentId", \.assignmentId), PayloadField("buyerId", \.buyerId),
        .defaulted("ended", \.ended), PayloadField("providerId", \.providerId),
        PayloadField("staffingManagerId", \.staffingManagerId), .defaulted("version", \.version),
    ])
}
