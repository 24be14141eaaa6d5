// The catalogue's event types: each declares its stored properties (in sorted key order, as the payloads
// are written), its blank `init()` and its declaration; the memberwise initialiser and the field list
// follow from the properties (EventPayloads+Generated.swift, written by Tools/generate-catalogue).

/// A buyer hired a provider for a job: an assignment whose parties are the buyer, the provider and a staffing manager.
public struct ProviderHired: EventPayload {
    public var assignmentId: String = ""
    public var buyerId: String = ""
    public var jobId: String = ""
    public var providerId: String = ""
    public var staffingManagerId: String = ""

    public init() {}

    public static let declaration = EventDeclaration<ProviderHired>(
        "ProviderHired", version: 1, case: MarketplaceEvent.providerHired, stream: (.assignment, \.assignmentId))
}

/// A party ended an assignment.
public struct AssignmentEnded: EventPayload {
    public var assignmentId: String = ""
    public var endedBy: String = ""

    public init() {}

    public static let declaration = EventDeclaration<AssignmentEnded>(
        "AssignmentEnded", version: 1, case: MarketplaceEvent.assignmentEnded, stream: (.assignment, \.assignmentId))
}

/// A payment for an assignment was recorded, in minor units (cents) of `currency`.
public struct PaymentRecorded: EventPayload {
    public var amountCents: Int = 0
    public var assignmentId: String = ""
    public var currency: String = ""
    public var paidBy: String = ""
    public var paymentId: String = ""

    public init() {}

    public static let declaration = EventDeclaration<PaymentRecorded>(
        "PaymentRecorded", version: 1, case: MarketplaceEvent.paymentRecorded, stream: (.assignment, \.assignmentId))
}
