import EventLog
import Events

extension Decider {
    private func noAttachments(_ attachments: [String]?) throws(MarketplaceError) {
        guard let attachments, !attachments.isEmpty else { return }
        throw reject(.attachmentsNotAllowed, "user-to-user messages cannot carry attachments: send the message without them, "
            + "and transfer files by email, chat or a file-sharing service once you have exchanged contact details (ShareContactDetails)")
    }

    func sendMessage(_ c: SendMessage) throws(MarketplaceError) -> Decision {
        let sender = try actorAccount()
        try noAttachments(c.attachments)
        let recipient = try existingUser(c.recipientId, "recipient id")
        guard recipient.userId != sender.userId else {
            throw reject(.invalidInput, "you cannot send a message to yourself: choose another recipient")
        }
        try valid { () throws(CommandRejection) in
            try Validation.text(c.subject, "subject", max: Validation.maxSubjectLength)
            try Validation.text(c.body, "message", max: Validation.maxBodyLength)
        }
        var kind = ThreadKind.direct
        if let teamId = c.teamId {
            guard let team = try state.team(teamId) else {
                throw reject(.unknownTeam, "no team has the id '\(teamId)': send the message without a team")
            }
            guard team.members[sender.userId] != nil else {
                throw reject(.notPermitted, "only members of team '\(teamId)' message from its team room: send the message without a team")
            }
            guard team.members[recipient.userId] != nil else {
                throw reject(.notPermitted, "user '\(recipient.userId)' is not a member of team '\(teamId)': send the message without a team")
            }
            kind = .team
        }
        let threadId = try newThreadId(c.threadId)
        let messageId = try newMessageId(c.messageId)
        var decision = Decision()
        decision.add(ThreadStarted(kind: kind, participants: [sender.userId, recipient.userId], startedBy: sender.userId,
                                   subject: c.subject, teamId: c.teamId, threadId: threadId))
        decision.add(MessageSent(body: c.body, messageId: messageId, senderId: sender.userId, threadId: threadId))
        decision.expect(StreamName.thread(threadId), .noStream)
        return decision
    }

    func replyToThread(_ c: ReplyToThread) throws(MarketplaceError) -> Decision {
        _ = try actorAccount()
        try noAttachments(c.attachments)
        let thread = try participatedThread(c.threadId)
        try valid { () throws(CommandRejection) in try Validation.text(c.body, "message", max: Validation.maxBodyLength) }
        let messageId = try newMessageId(c.messageId)
        return Decision(MessageSent(body: c.body, messageId: messageId, senderId: actor, threadId: thread.threadId),
                        expectingItsStream: .streamExists)
    }

    /// A message id never used before (a caller's id sent again is refused; resend with the command id
    /// to make a retry safe).
    private func newMessageId(_ given: String?) throws(MarketplaceError) -> String {
        try newId(given, "message id") { id throws(MarketplaceError) in try state.threadOfMessage(id) != nil }
    }

    func shareContactDetails(_ c: ShareContactDetails) throws(MarketplaceError) -> Decision {
        _ = try actorAccount()
        let thread = try participatedThread(c.threadId)
        let email: String
        switch c.kind {
        case .marketplaceAddress:
            guard c.email == nil, c.phone == nil else {
                throw reject(.invalidInput, "sharing only the marketplace address takes no email or phone: leave them out, "
                    + "or share kind \"personal\" to give your own")
            }
            // "The email-based options are sent to the UserID@oDesk.com addresses for all providers and any
            // buyer who has enabled it": a buyer's address reaches them only once enabled.
            if let sharer = try state.user(actor), sharer.role == .buyer, !sharer.marketplaceEmail {
                throw reject(.invalidState, "your marketplace address does not reach you until you enable it: enable it first "
                    + "(EnableMarketplaceEmail), or share kind \"personal\" to give your own address")
            }
            email = MarketplaceAddress.of(actor)
        case .personal:
            guard let given = c.email else {
                throw reject(.invalidInput, "sharing personal details needs an email address; to keep yours private, share kind \"marketplaceAddress\"")
            }
            email = try valid { () throws(CommandRejection) in try Validation.email(given) }
            if let phone = c.phone { try valid { () throws(CommandRejection) in try Validation.phone(phone) } }
        }
        return Decision(ContactDetailsShared(email: email, kind: c.kind, phone: c.phone, threadId: thread.threadId, userId: actor),
                        expectingItsStream: .streamExists)
    }

    private func participatedThread(_ threadId: String) throws(MarketplaceError) -> ThreadRecord {
        try valid { () throws(CommandRejection) in try Validation.id(threadId, "thread id") }
        guard let thread = try state.thread(threadId) else {
            throw reject(.unknownThread, "no thread has the id '\(threadId)': start a conversation with SendMessage")
        }
        guard thread.participants.contains(actor) else {
            throw reject(.notAParticipant, "only the participants of thread '\(threadId)' write in it: "
                + "to contact one of them, start your own conversation (SendMessage)")
        }
        return thread
    }
}
