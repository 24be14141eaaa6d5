// The catalogue's event types. Field lists are in sorted key order, as the payloads are written.

/// A buyer hired a provider for a job: an assignment whose parties are the buyer, the provider and a staffing manager.
public struct ProviderHired: EventPayload {
    public var assignmentId: String = ""
    public var buyerId: String = ""
    public var jobId: String = ""
    public var providerId: String = ""
    public var staffingManagerId: String = ""

    public init(assignmentId: String, buyerId: String, jobId: String, providerId: String, staffingManagerId: String) {
        self.assignmentId = assignmentId
        self.buyerId = buyerId
        self.jobId = jobId
        self.providerId = providerId
        self.staffingManagerId = staffingManagerId
    }

    public init() {}

    public static let declaration = EventDeclaration<ProviderHired>(
        "ProviderHired", version: 1, case: MarketplaceEvent.providerHired, stream: (.assignment, \.assignmentId),
        fields: [PayloadField("assignmentId", \.assignmentId), PayloadField("buyerId", \.buyerId),
                 PayloadField("jobId", \.jobId), PayloadField("providerId", \.providerId),
                 PayloadField("staffingManagerId", \.staffingManagerId)])
}

/// A party ended an assignment.
public struct AssignmentEnded: EventPayload {
    public var assignmentId: String = ""
    public var endedBy: String = ""

    public init(assignmentId: String, endedBy: String) {
        self.assignmentId = assignmentId
        self.endedBy = endedBy
    }

    public init() {}

    public static let declaration = EventDeclaration<AssignmentEnded>(
        "AssignmentEnded", version: 1, case: MarketplaceEvent.assignmentEnded, stream: (.assignment, \.assignmentId),
        fields: [PayloadField("assignmentId", \.assignmentId), PayloadField("endedBy", \.endedBy)])
}

/// A payment for an assignment was recorded, in minor units (cents) of `currency`.
public struct PaymentRecorded: EventPayload {
    public var amountCents: Int = 0
    public var assignmentId: String = ""
    public var currency: String = ""
    public var paidBy: String = ""
    public var paymentId: String = ""

    public init(amountCents: Int, assignmentId: String, currency: String, paidBy: String, paymentId: String) {
        self.amountCents = amountCents
        self.assignmentId = assignmentId
        self.currency = currency
        self.paidBy = paidBy
        self.paymentId = paymentId
    }

    public init() {}

    public static let declaration = EventDeclaration<PaymentRecorded>(
        "PaymentRecorded", version: 1, case: MarketplaceEvent.paymentRecorded, stream: (.assignment, \.assignmentId),
        fields: [PayloadField("amountCents", \.amountCents), PayloadField("assignmentId", \.assignmentId),
                 PayloadField("currency", \.currency), PayloadField("paidBy", \.paidBy),
                 PayloadField("paymentId", \.paymentId)])
}
