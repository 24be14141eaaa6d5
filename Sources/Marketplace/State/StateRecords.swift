import Events

// The rows that decisions read. Each record keeps `version`, its stream's version in the log, which
// commands put in their expectations. Field names are written in sorted order.

struct UserRecord: FlatStateRecord, Hashable {
    static let keyPrefix = "user:"
    var userId: String
    var role: AccountRole
    var marketplaceEmail: Bool
    var version: Int

    init(userId: String, role: AccountRole, marketplaceEmail: Bool = false, version: Int) {
        self.userId = userId
        self.role = role
        self.marketplaceEmail = marketplaceEmail
        self.version = version
    }

    init(reading reader: inout FlatJSONReader) throws(FlatJSONError) {
        var userId: String?, role: AccountRole?, marketplaceEmail = false, version = 0
        while try reader.nextKey() {
            if reader.isKey("marketplaceEmail") { marketplaceEmail = try reader.bool("marketplaceEmail") }
            else if reader.isKey("role") { role = try reader.value("role", as: AccountRole.self) }
            else if reader.isKey("userId") { userId = try reader.string("userId") }
            else if reader.isKey("version") { version = try reader.int("version") }
            else { try reader.skipValue() }
        }
        self.init(userId: try FlatJSONReader.required(userId, "userId"), role: try FlatJSONReader.required(role, "role"),
                  marketplaceEmail: marketplaceEmail, version: version)
    }

    func write(to writer: inout FlatJSONWriter) {
        writer.field("marketplaceEmail", marketplaceEmail)
        writer.field("role", role)
        writer.field("userId", userId)
        writer.field("version", version)
    }
}

enum InvitationStatus: String, Sendable, Hashable {
    case pending, accepted, revoked, expired
}

struct InvitationRecord: FlatStateRecord, Hashable {
    static let keyPrefix = "invitation:"
    var invitationId: String
    var invitedBy: String
    var email: String
    var teamId: String?
    var token: String
    var status: InvitationStatus
    var version: Int

    init(invitationId: String, invitedBy: String, email: String, teamId: String?, token: String, status: InvitationStatus, version: Int) {
        self.invitationId = invitationId
        self.invitedBy = invitedBy
        self.email = email
        self.teamId = teamId
        self.token = token
        self.status = status
        self.version = version
    }

    init(reading reader: inout FlatJSONReader) throws(FlatJSONError) {
        var invitationId: String?, invitedBy: String?, email: String?, teamId: String?, token: String?
        var status: InvitationStatus?, version = 0
        while try reader.nextKey() {
            if reader.isKey("email") { email = try reader.string("email") }
            else if reader.isKey("invitationId") { invitationId = try reader.string("invitationId") }
            else if reader.isKey("invitedBy") { invitedBy = try reader.string("invitedBy") }
            else if reader.isKey("status") { status = try reader.value("status", as: InvitationStatus.self) }
            else if reader.isKey("teamId") { teamId = try reader.optionalString("teamId") }
            else if reader.isKey("token") { token = try reader.string("token") }
            else if reader.isKey("version") { version = try reader.int("version") }
            else { try reader.skipValue() }
        }
        self.init(invitationId: try FlatJSONReader.required(invitationId, "invitationId"),
                  invitedBy: try FlatJSONReader.required(invitedBy, "invitedBy"), email: try FlatJSONReader.required(email, "email"),
                  teamId: teamId, token: try FlatJSONReader.required(token, "token"), status: try FlatJSONReader.required(status, "status"), version: version)
    }

    func write(to writer: inout FlatJSONWriter) {
        writer.field("email", email)
        writer.field("invitationId", invitationId)
        writer.field("invitedBy", invitedBy)
        writer.field("status", status)
        writer.field("teamId", teamId)
        writer.field("token", token)
        writer.field("version", version)
    }
}

struct JobRecord: FlatStateRecord, Hashable {
    static let keyPrefix = "job:"
    var jobId: String
    var postedBy: String
    var visibility: JobVisibility
    var purpose: JobPurpose
    var version: Int

    init(jobId: String, postedBy: String, visibility: JobVisibility, purpose: JobPurpose, version: Int) {
        self.jobId = jobId
        self.postedBy = postedBy
        self.visibility = visibility
        self.purpose = purpose
        self.version = version
    }

    init(reading reader: inout FlatJSONReader) throws(FlatJSONError) {
        var jobId: String?, postedBy: String?, visibility: JobVisibility?, purpose: JobPurpose?, version = 0
        while try reader.nextKey() {
            if reader.isKey("jobId") { jobId = try reader.string("jobId") }
            else if reader.isKey("postedBy") { postedBy = try reader.string("postedBy") }
            else if reader.isKey("purpose") { purpose = try reader.value("purpose", as: JobPurpose.self) }
            else if reader.isKey("version") { version = try reader.int("version") }
            else if reader.isKey("visibility") { visibility = try reader.value("visibility", as: JobVisibility.self) }
            else { try reader.skipValue() }
        }
        self.init(jobId: try FlatJSONReader.required(jobId, "jobId"), postedBy: try FlatJSONReader.required(postedBy, "postedBy"),
                  visibility: try FlatJSONReader.required(visibility, "visibility"),
                  purpose: try FlatJSONReader.required(purpose, "purpose"), version: version)
    }

    func write(to writer: inout FlatJSONWriter) {
        writer.field("jobId", jobId)
        writer.field("postedBy", postedBy)
        writer.field("purpose", purpose)
        writer.field("version", version)
        writer.field("visibility", visibility)
    }
}

enum InterviewStatus: String, Sendable, Hashable {
    case pending, accepted, declined
}

struct InterviewRecord: FlatStateRecord, Hashable {
    static let keyPrefix = "interview:"
    var interviewId: String
    var jobId: String
    var providerId: String
    var threadId: String
    var status: InterviewStatus
    var version: Int

    init(interviewId: String, jobId: String, providerId: String, threadId: String, status: InterviewStatus, version: Int) {
        self.interviewId = interviewId
        self.jobId = jobId
        self.providerId = providerId
        self.threadId = threadId
        self.status = status
        self.version = version
    }

    init(reading reader: inout FlatJSONReader) throws(FlatJSONError) {
        var interviewId: String?, jobId: String?, providerId: String?, threadId: String?, status: InterviewStatus?, version = 0
        while try reader.nextKey() {
            if reader.isKey("interviewId") { interviewId = try reader.string("interviewId") }
            else if reader.isKey("jobId") { jobId = try reader.string("jobId") }
            else if reader.isKey("providerId") { providerId = try reader.string("providerId") }
            else if reader.isKey("status") { status = try reader.value("status", as: InterviewStatus.self) }
            else if reader.isKey("threadId") { threadId = try reader.string("threadId") }
            else if reader.isKey("version") { version = try reader.int("version") }
            else { try reader.skipValue() }
        }
        self.init(interviewId: try FlatJSONReader.required(interviewId, "interviewId"), jobId: try FlatJSONReader.required(jobId, "jobId"),
                  providerId: try FlatJSONReader.required(providerId, "providerId"),
                  threadId: try FlatJSONReader.required(threadId, "threadId"),
                  status: try FlatJSONReader.required(status, "status"), version: version)
    }

    func write(to writer: inout FlatJSONWriter) {
        writer.field("interviewId", interviewId)
        writer.field("jobId", jobId)
        writer.field("providerId", providerId)
        writer.field("status", status)
        writer.field("threadId", threadId)
        writer.field("version", version)
    }
}

/// A thread's participants (fixed when it starts; messages do not change it).
struct ThreadRecord: FlatStateRecord, Hashable {
    static let keyPrefix = "thread:"
    var threadId: String
    var participants: [String]

    init(threadId: String, participants: [String]) {
        self.threadId = threadId
        self.participants = participants
    }

    init(reading reader: inout FlatJSONReader) throws(FlatJSONError) {
        var threadId: String?, participants: [String] = []
        while try reader.nextKey() {
            if reader.isKey("participants") { participants = try reader.strings("participants") }
            else if reader.isKey("threadId") { threadId = try reader.string("threadId") }
            else { try reader.skipValue() }
        }
        self.init(threadId: try FlatJSONReader.required(threadId, "threadId"), participants: participants)
    }

    func write(to writer: inout FlatJSONWriter) {
        writer.field("participants", participants)
        writer.field("threadId", threadId)
    }
}

struct AssignmentRecord: FlatStateRecord, Hashable {
    static let keyPrefix = "assignment:"
    var assignmentId: String
    var buyerId: String
    var providerId: String
    var staffingManagerId: String
    var ended: Bool
    var version: Int

    init(assignmentId: String, buyerId: String, providerId: String, staffingManagerId: String, ended: Bool, version: Int) {
        self.assignmentId = assignmentId
        self.buyerId = buyerId
        self.providerId = providerId
        self.staffingManagerId = staffingManagerId
        self.ended = ended
        self.version = version
    }

    var parties: [String] { [buyerId, providerId, staffingManagerId] }

    init(reading reader: inout FlatJSONReader) throws(FlatJSONError) {
        var assignmentId: String?, buyerId: String?, providerId: String?, staffingManagerId: String?, ended = false, version = 0
        while try reader.nextKey() {
            if reader.isKey("assignmentId") { assignmentId = try reader.string("assignmentId") }
            else if reader.isKey("buyerId") { buyerId = try reader.string("buyerId") }
            else if reader.isKey("ended") { ended = try reader.bool("ended") }
            else if reader.isKey("providerId") { providerId = try reader.string("providerId") }
            else if reader.isKey("staffingManagerId") { staffingManagerId = try reader.string("staffingManagerId") }
            else if reader.isKey("version") { version = try reader.int("version") }
            else { try reader.skipValue() }
        }
        self.init(assignmentId: try FlatJSONReader.required(assignmentId, "assignmentId"),
                  buyerId: try FlatJSONReader.required(buyerId, "buyerId"), providerId: try FlatJSONReader.required(providerId, "providerId"),
                  staffingManagerId: try FlatJSONReader.required(staffingManagerId, "staffingManagerId"), ended: ended, version: version)
    }

    func write(to writer: inout FlatJSONWriter) {
        writer.field("assignmentId", assignmentId)
        writer.field("buyerId", buyerId)
        writer.field("ended", ended)
        writer.field("providerId", providerId)
        writer.field("staffingManagerId", staffingManagerId)
        writer.field("version", version)
    }
}
