// The catalogue's event types. Field lists are in sorted key order, as the payloads are written.

/// A buyer or provider company posted a job, public or private.
public struct JobPosted: EventPayload {
    public var description: String = ""
    public var jobId: String = ""
    public var postedBy: String = ""
    public var purpose: JobPurpose = .work
    public var title: String = ""
    public var visibility: JobVisibility = .private

    public init(description: String, jobId: String, postedBy: String, purpose: JobPurpose, title: String, visibility: JobVisibility) {
        self.description = description
        self.jobId = jobId
        self.postedBy = postedBy
        self.purpose = purpose
        self.title = title
        self.visibility = visibility
    }

    public init() {}

    public static let declaration = EventDeclaration<JobPosted>(
        "JobPosted", version: 1, case: MarketplaceEvent.jobPosted, stream: (.job, \.jobId),
        fields: [PayloadField("description", \.description), PayloadField("jobId", \.jobId),
                 PayloadField("postedBy", \.postedBy), PayloadField("purpose", \.purpose),
                 PayloadField("title", \.title), PayloadField("visibility", \.visibility)])
}

/// The job's poster invited a provider to an interview; the invitation message opens thread `threadId`.
public struct InterviewRequested: EventPayload {
    public var interviewId: String = ""
    public var jobId: String = ""
    public var providerId: String = ""
    public var requestedBy: String = ""
    public var threadId: String = ""

    public init(interviewId: String, jobId: String, providerId: String, requestedBy: String, threadId: String) {
        self.interviewId = interviewId
        self.jobId = jobId
        self.providerId = providerId
        self.requestedBy = requestedBy
        self.threadId = threadId
    }

    public init() {}

    public static let declaration = EventDeclaration<InterviewRequested>(
        "InterviewRequested", version: 1, case: MarketplaceEvent.interviewRequested, stream: (.interview, \.interviewId),
        fields: [PayloadField("interviewId", \.interviewId), PayloadField("jobId", \.jobId),
                 PayloadField("providerId", \.providerId), PayloadField("requestedBy", \.requestedBy),
                 PayloadField("threadId", \.threadId)])
}

/// The provider accepted the interview.
public struct InterviewAccepted: EventPayload {
    public var interviewId: String = ""
    public var providerId: String = ""

    public init(interviewId: String, providerId: String) {
        self.interviewId = interviewId
        self.providerId = providerId
    }

    public init() {}

    public static let declaration = EventDeclaration<InterviewAccepted>(
        "InterviewAccepted", version: 1, case: MarketplaceEvent.interviewAccepted, stream: (.interview, \.interviewId),
        fields: [PayloadField("interviewId", \.interviewId), PayloadField("providerId", \.providerId)])
}

/// The provider declined the interview, optionally saying why.
public struct InterviewDeclined: EventPayload {
    public var interviewId: String = ""
    public var providerId: String = ""
    public var reason: String?

    public init(interviewId: String, providerId: String, reason: String? = nil) {
        self.interviewId = interviewId
        self.providerId = providerId
        self.reason = reason
    }

    public init() {}

    public static let declaration = EventDeclaration<InterviewDeclined>(
        "InterviewDeclined", version: 1, case: MarketplaceEvent.interviewDeclined, stream: (.interview, \.interviewId),
        fields: [PayloadField("interviewId", \.interviewId), PayloadField("providerId", \.providerId),
                 PayloadField("reason", \.reason)])
}
