// The catalogue's event types. Field lists are in sorted key order, as the payloads are written.

/// A buyer hired a provider for a job: an assignment whose parties are the buyer, the provider and a staffing manager.
/// Stream: `assignment-<assignmentId>`.
///
/// v1 fields: `assignmentId`, `buyerId`, `jobId`, `providerId`, `staffingManagerId`.
public struct ProviderHired: EventPayload {
    public static let eventType = "ProviderHired"
    public static let schemaVersion: UInt16 = 1
    public var assignmentId: String
    public var buyerId: String
    public var jobId: String
    public var providerId: String
    public var staffingManagerId: String

    public init(assignmentId: String, buyerId: String, jobId: String, providerId: String, staffingManagerId: String) {
        self.assignmentId = assignmentId
        self.buyerId = buyerId
        self.jobId = jobId
        self.providerId = providerId
        self.staffingManagerId = staffingManagerId
    }

    public var stream: String { StreamName.assignment(assignmentId) }
    public var event: MarketplaceEvent { .providerHired(self) }

    public init(reading reader: inout FlatJSONReader) throws(FlatJSONError) {
        var assignmentId: String?
        var buyerId: String?
        var jobId: String?
        var providerId: String?
        var staffingManagerId: String?
        while try reader.nextKey() {
            if reader.isKey("assignmentId") {
                assignmentId = try reader.string("assignmentId")
            } else if reader.isKey("buyerId") {
                buyerId = try reader.string("buyerId")
            } else if reader.isKey("jobId") {
                jobId = try reader.string("jobId")
            } else if reader.isKey("providerId") {
                providerId = try reader.string("providerId")
            } else if reader.isKey("staffingManagerId") {
                staffingManagerId = try reader.string("staffingManagerId")
            } else {
                try reader.skipValue()
            }
        }
        self.init(
            assignmentId: try FlatJSONReader.required(assignmentId, "assignmentId"),
            buyerId: try FlatJSONReader.required(buyerId, "buyerId"),
            jobId: try FlatJSONReader.required(jobId, "jobId"),
            providerId: try FlatJSONReader.required(providerId, "providerId"),
            staffingManagerId: try FlatJSONReader.required(staffingManagerId, "staffingManagerId")
        )
    }

    public func write(to writer: inout FlatJSONWriter) {
        writer.field("assignmentId", assignmentId)
        writer.field("buyerId", buyerId)
        writer.field("jobId", jobId)
        writer.field("providerId", providerId)
        writer.field("staffingManagerId", staffingManagerId)
    }
}

/// A party ended an assignment.
/// Stream: `assignment-<assignmentId>`.
///
/// v1 fields: `assignmentId`, `endedBy`.
public struct AssignmentEnded: EventPayload {
    public static let eventType = "AssignmentEnded"
    public static let schemaVersion: UInt16 = 1
    public var assignmentId: String
    public var endedBy: String

    public init(assignmentId: String, endedBy: String) {
        self.assignmentId = assignmentId
        self.endedBy = endedBy
    }

    public var stream: String { StreamName.assignment(assignmentId) }
    public var event: MarketplaceEvent { .assignmentEnded(self) }

    public init(reading reader: inout FlatJSONReader) throws(FlatJSONError) {
        var assignmentId: String?
        var endedBy: String?
        while try reader.nextKey() {
            if reader.isKey("assignmentId") {
                assignmentId = try reader.string("assignmentId")
            } else if reader.isKey("endedBy") {
                endedBy = try reader.string("endedBy")
            } else {
                try reader.skipValue()
            }
        }
        self.init(
            assignmentId: try FlatJSONReader.required(assignmentId, "assignmentId"),
            endedBy: try FlatJSONReader.required(endedBy, "endedBy")
        )
    }

    public func write(to writer: inout FlatJSONWriter) {
        writer.field("assignmentId", assignmentId)
        writer.field("endedBy", endedBy)
    }
}

/// A payment for an assignment was recorded, in minor units (cents) of `currency`.
/// Stream: `assignment-<assignmentId>`.
///
/// v1 fields: `amountCents`, `assignmentId`, `currency`, `paidBy`, `paymentId`.
public struct PaymentRecorded: EventPayload {
    public static let eventType = "PaymentRecorded"
    public static let schemaVersion: UInt16 = 1
    public var amountCents: Int
    public var assignmentId: String
    public var currency: String
    public var paidBy: String
    public var paymentId: String

    public init(amountCents: Int, assignmentId: String, currency: String, paidBy: String, paymentId: String) {
        self.amountCents = amountCents
        self.assignmentId = assignmentId
        self.currency = currency
        self.paidBy = paidBy
        self.paymentId = paymentId
    }

    public var stream: String { StreamName.assignment(assignmentId) }
    public var event: MarketplaceEvent { .paymentRecorded(self) }

    public init(reading reader: inout FlatJSONReader) throws(FlatJSONError) {
        var amountCents: Int?
        var assignmentId: String?
        var currency: String?
        var paidBy: String?
        var paymentId: String?
        while try reader.nextKey() {
            if reader.isKey("amountCents") {
                amountCents = try reader.int("amountCents")
            } else if reader.isKey("assignmentId") {
                assignmentId = try reader.string("assignmentId")
            } else if reader.isKey("currency") {
                currency = try reader.string("currency")
            } else if reader.isKey("paidBy") {
                paidBy = try reader.string("paidBy")
            } else if reader.isKey("paymentId") {
                paymentId = try reader.string("paymentId")
            } else {
                try reader.skipValue()
            }
        }
        self.init(
            amountCents: try FlatJSONReader.required(amountCents, "amountCents"),
            assignmentId: try FlatJSONReader.required(assignmentId, "assignmentId"),
            currency: try FlatJSONReader.required(currency, "currency"),
            paidBy: try FlatJSONReader.required(paidBy, "paidBy"),
            paymentId: try FlatJSONReader.required(paymentId, "paymentId")
        )
    }

    public func write(to writer: inout FlatJSONWriter) {
        writer.field("amountCents", amountCents)
        writer.field("assignmentId", assignmentId)
        writer.field("currency", currency)
        writer.field("paidBy", paidBy)
        writer.field("paymentId", paymentId)
    }
}
