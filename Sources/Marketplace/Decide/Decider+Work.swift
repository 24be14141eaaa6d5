import EventLog
import Events

extension Decider {
    func hire(_ c: Hire) throws(MarketplaceError) -> Decision {
        _ = try actorAccount()
        try requireActorPosted(job: c.jobId, onlyItsPoster: "hires for it")
        try requireProvider(c.providerId, "hire a provider")
        let manager = try existingUser(c.staffingManagerId, "staffing manager id")
        guard manager.role == .staffingManager else {
            throw reject(.invalidInput, "user '\(c.staffingManagerId)' is not a staffing manager: name the staffing manager of the assignment")
        }
        let assignmentId = try newId(c.assignmentId, "assignment id") { id throws(MarketplaceError) in try state.assignment(id) != nil }
        return Decision(ProviderHired(assignmentId: assignmentId, buyerId: actor, jobId: c.jobId, providerId: c.providerId,
                                      staffingManagerId: c.staffingManagerId),
                        expectingItsStream: .noStream)
    }

    func endAssignment(_ c: EndAssignment) throws(MarketplaceError) -> Decision {
        _ = try actorAccount()
        let assignment = try existingAssignment(c.assignmentId)
        guard assignment.parties.contains(actor) else {
            throw reject(.notPermitted, "only the parties of assignment '\(c.assignmentId)' (buyer, provider, staffing manager) end it")
        }
        guard !assignment.ended else {
            throw reject(.invalidState, "assignment '\(c.assignmentId)' has already ended")
        }
        return Decision(AssignmentEnded(assignmentId: c.assignmentId, endedBy: actor),
                        expectingItsStreamAt: assignment.version)
    }

    func recordPayment(_ c: RecordPayment) throws(MarketplaceError) -> Decision {
        _ = try actorAccount()
        let assignment = try existingAssignment(c.assignmentId)
        guard actor == assignment.buyerId || actor == assignment.staffingManagerId else {
            throw reject(.notPermitted, "only the buyer or the staffing manager of assignment '\(c.assignmentId)' records its payments")
        }
        guard c.amountCents > 0, c.amountCents <= Validation.maxPaymentCents else {
            throw reject(.invalidInput, "the amount must be between 1 and \(Validation.maxPaymentCents) cents")
        }
        guard c.currency.count == 3, c.currency.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
            throw reject(.invalidInput, "the currency must be a three-letter ISO 4217 code such as \"USD\"")
        }
        // A payment id recorded before is refused: a retried payment must not be counted twice.
        let paymentId = try newId(c.paymentId, "payment id") { id throws(MarketplaceError) in try state.assignmentOfPayment(id) != nil }
        return Decision(PaymentRecorded(amountCents: c.amountCents, assignmentId: c.assignmentId, currency: c.currency, paidBy: actor,
                                        paymentId: paymentId),
                        expectingItsStreamAt: assignment.version)
    }

    private func existingAssignment(_ assignmentId: String) throws(MarketplaceError) -> AssignmentRecord {
        try valid { () throws(CommandRejection) in try Validation.id(assignmentId, "assignment id") }
        guard let assignment = try state.assignment(assignmentId) else {
            throw reject(.unknownAssignment, "no assignment has the id '\(assignmentId)': check the id")
        }
        return assignment
    }
}
