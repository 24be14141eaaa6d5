import EventLog
import Events

extension Decider {
    func recordInvitationEmailSent(_ c: RecordInvitationEmailSent) throws(MarketplaceError) -> Decision {
        try checkDelivery(invitationId: c.invitationId, messageId: c.messageId, attempt: c.attempt, relay: c.relay)
        return Decision(InvitationEmailSent(attempt: c.attempt, invitationId: c.invitationId, messageId: c.messageId, relay: c.relay),
                        expectingItsStream: .any)
    }

    func recordInvitationEmailFailed(_ c: RecordInvitationEmailFailed) throws(MarketplaceError) -> Decision {
        try checkDelivery(invitationId: c.invitationId, messageId: c.messageId, attempt: c.attempt, relay: c.relay)
        try valid { () throws(CommandRejection) in try Validation.text(c.reason, "reason", max: Validation.maxReasonLength) }
        if let retryAt = c.retryAtMicros, retryAt < 0 {
            throw reject(.invalidInput, "retryAtMicros is a time in microseconds since 1970: give a positive number, or leave it out when the email is not to be retried")
        }
        return Decision(InvitationEmailFailed(attempt: c.attempt, invitationId: c.invitationId, messageId: c.messageId,
                                              reason: c.reason, relay: c.relay, retryAtMicros: c.retryAtMicros),
                        expectingItsStream: .any)
    }

    /// What both delivery records require: the system sends them, about a network invitation that exists.
    private func checkDelivery(invitationId: String, messageId: String, attempt: Int, relay: String) throws(MarketplaceError) {
        guard actor == CommandEnvelope.systemActor else {
            throw reject(.notPermitted, "invitation emails are recorded by the mail delivery (actor \"system\": teamlog deliver, or teamlog serve): "
                + "users do not record them")
        }
        try valid { () throws(CommandRejection) in
            try Validation.id(invitationId, "invitation id")
            try Validation.text(messageId, "message id", max: Validation.maxHeaderLength)
            try Validation.text(relay, "relay", max: Validation.maxHeaderLength)
        }
        guard attempt >= 1 else { throw reject(.invalidInput, "the attempt is counted from 1: give 1 for the first attempt") }
        guard try state.invitation(invitationId) != nil else {
            throw reject(.unknownInvitation, "no network invitation has the id '\(invitationId)': only invitations to the network have an email")
        }
    }
}
