// The catalogue's event types. Field lists are in sorted key order, as the payloads are written.

/// A buyer or provider company posted a job, public or private.
/// Stream: `job-<jobId>`.
///
/// v1 fields: `description`, `jobId`, `postedBy`, `purpose`, `title`, `visibility`.
public struct JobPosted: EventPayload {
    public static let eventType = "JobPosted"
    public static let schemaVersion: UInt16 = 1
    public var description: String
    public var jobId: String
    public var postedBy: String
    public var purpose: JobPurpose
    public var title: String
    public var visibility: JobVisibility

    public init(description: String, jobId: String, postedBy: String, purpose: JobPurpose, title: String, visibility: JobVisibility) {
        self.description = description
        self.jobId = jobId
        self.postedBy = postedBy
        self.purpose = purpose
        self.title = title
        self.visibility = visibility
    }

    public var stream: String { StreamName.job(jobId) }
    public var event: MarketplaceEvent { .jobPosted(self) }

    public init(reading reader: inout FlatJSONReader) throws(FlatJSONError) {
        var description: String?
        var jobId: String?
        var postedBy: String?
        var purpose: JobPurpose?
        var title: String?
        var visibility: JobVisibility?
        while try reader.nextKey() {
            if reader.isKey("description") {
                description = try reader.string("description")
            } else if reader.isKey("jobId") {
                jobId = try reader.string("jobId")
            } else if reader.isKey("postedBy") {
                postedBy = try reader.string("postedBy")
            } else if reader.isKey("purpose") {
                purpose = try reader.value("purpose", as: JobPurpose.self)
            } else if reader.isKey("title") {
                title = try reader.string("title")
            } else if reader.isKey("visibility") {
                visibility = try reader.value("visibility", as: JobVisibility.self)
            } else {
                try reader.skipValue()
            }
        }
        self.init(
            description: try FlatJSONReader.required(description, "description"),
            jobId: try FlatJSONReader.required(jobId, "jobId"),
            postedBy: try FlatJSONReader.required(postedBy, "postedBy"),
            purpose: try FlatJSONReader.required(purpose, "purpose"),
            title: try FlatJSONReader.required(title, "title"),
            visibility: try FlatJSONReader.required(visibility, "visibility")
        )
    }

    public func write(to writer: inout FlatJSONWriter) {
        writer.field("description", description)
        writer.field("jobId", jobId)
        writer.field("postedBy", postedBy)
        writer.field("purpose", purpose)
        writer.field("title", title)
        writer.field("visibility", visibility)
    }
}

/// The job's poster invited a provider to an interview; the invitation message opens thread `threadId`.
/// Stream: `interview-<interviewId>`.
///
/// v1 fields: `interviewId`, `jobId`, `providerId`, `requestedBy`, `threadId`.
public struct InterviewRequested: EventPayload {
    public static let eventType = "InterviewRequested"
    public static let schemaVersion: UInt16 = 1
    public var interviewId: String
    public var jobId: String
    public var providerId: String
    public var requestedBy: String
    public var threadId: String

    public init(interviewId: String, jobId: String, providerId: String, requestedBy: String, threadId: String) {
        self.interviewId = interviewId
        self.jobId = jobId
        self.providerId = providerId
        self.requestedBy = requestedBy
        self.threadId = threadId
    }

    public var stream: String { StreamName.interview(interviewId) }
    public var event: MarketplaceEvent { .interviewRequested(self) }

    public init(reading reader: inout FlatJSONReader) throws(FlatJSONError) {
        var interviewId: String?
        var jobId: String?
        var providerId: String?
        var requestedBy: String?
        var threadId: String?
        while try reader.nextKey() {
            if reader.isKey("interviewId") {
                interviewId = try reader.string("interviewId")
            } else if reader.isKey("jobId") {
                jobId = try reader.string("jobId")
            } else if reader.isKey("providerId") {
                providerId = try reader.string("providerId")
            } else if reader.isKey("requestedBy") {
                requestedBy = try reader.string("requestedBy")
            } else if reader.isKey("threadId") {
                threadId = try reader.string("threadId")
            } else {
                try reader.skipValue()
            }
        }
        self.init(
            interviewId: try FlatJSONReader.required(interviewId, "interviewId"),
            jobId: try FlatJSONReader.required(jobId, "jobId"),
            providerId: try FlatJSONReader.required(providerId, "providerId"),
            requestedBy: try FlatJSONReader.required(requestedBy, "requestedBy"),
            threadId: try FlatJSONReader.required(threadId, "threadId")
        )
    }

    public func write(to writer: inout FlatJSONWriter) {
        writer.field("interviewId", interviewId)
        writer.field("jobId", jobId)
        writer.field("providerId", providerId)
        writer.field("requestedBy", requestedBy)
        writer.field("threadId", threadId)
    }
}

/// The provider accepted the interview.
/// Stream: `interview-<interviewId>`.
///
/// v1 fields: `interviewId`, `providerId`.
public struct InterviewAccepted: EventPayload {
    public static let eventType = "InterviewAccepted"
    public static let schemaVersion: UInt16 = 1
    public var interviewId: String
    public var providerId: String

    public init(interviewId: String, providerId: String) {
        self.interviewId = interviewId
        self.providerId = providerId
    }

    public var stream: String { StreamName.interview(interviewId) }
    public var event: MarketplaceEvent { .interviewAccepted(self) }

    public init(reading reader: inout FlatJSONReader) throws(FlatJSONError) {
        var interviewId: String?
        var providerId: String?
        while try reader.nextKey() {
            if reader.isKey("interviewId") {
                interviewId = try reader.string("interviewId")
            } else if reader.isKey("providerId") {
                providerId = try reader.string("providerId")
            } else {
                try reader.skipValue()
            }
        }
        self.init(
            interviewId: try FlatJSONReader.required(interviewId, "interviewId"),
            providerId: try FlatJSONReader.required(providerId, "providerId")
        )
    }

    public func write(to writer: inout FlatJSONWriter) {
        writer.field("interviewId", interviewId)
        writer.field("providerId", providerId)
    }
}

/// The provider declined the interview, optionally saying why.
/// Stream: `interview-<interviewId>`.
///
/// v1 fields: `interviewId`, `providerId`, `reason` (optional).
public struct InterviewDeclined: EventPayload {
    public static let eventType = "InterviewDeclined"
    public static let schemaVersion: UInt16 = 1
    public var interviewId: String
    public var providerId: String
    public var reason: String?

    public init(interviewId: String, providerId: String, reason: String? = nil) {
        self.interviewId = interviewId
        self.providerId = providerId
        self.reason = reason
    }

    public var stream: String { StreamName.interview(interviewId) }
    public var event: MarketplaceEvent { .interviewDeclined(self) }

    public init(reading reader: inout FlatJSONReader) throws(FlatJSONError) {
        var interviewId: String?
        var providerId: String?
        var reason: String?
        while try reader.nextKey() {
            if reader.isKey("interviewId") {
                interviewId = try reader.string("interviewId")
            } else if reader.isKey("providerId") {
                providerId = try reader.string("providerId")
            } else if reader.isKey("reason") {
                reason = try reader.optionalString("reason")
            } else {
                try reader.skipValue()
            }
        }
        self.init(
            interviewId: try FlatJSONReader.required(interviewId, "interviewId"),
            providerId: try FlatJSONReader.required(providerId, "providerId"),
            reason: reason
        )
    }

    public func write(to writer: inout FlatJSONWriter) {
        writer.field("interviewId", interviewId)
        writer.field("providerId", providerId)
        writer.field("reason", reason)
    }
}
