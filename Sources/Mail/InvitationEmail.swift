import Crypto
public import Foundation
import Application
public import Projections

/// The invitation email of an outbox entry (the seeds: "an invitation email to the addresses entered with
/// a URL to start the Provider signup process"; an affiliate manager's carries "an Affiliate specific
/// confirmation URL"; a buyer's with a team says that the new provider joins that team room).
public enum InvitationEmail {
    public static func make(_ entry: OutboxEmail, settings: MailSettings, date: Date) -> OutgoingEmail {
        OutgoingEmail(from: settings.from, recipient: entry.recipient, subject: entry.subject,
                      body: body(entry, settings: settings), messageId: entry.messageId ?? messageId(entry.invitationId, settings: settings),
                      date: date)
    }

    /// The signup link: `<base>/signup?token=…`, or for an affiliate manager's invitation
    /// `<base>/affiliates/<manager>/confirm?token=…`, the one that puts the provider on that roster.
    public static func signupURL(_ entry: OutboxEmail, settings: MailSettings) -> String {
        let token = PercentEncoding.encode(entry.token)
        if entry.fromAffiliateManager {
            return "\(settings.baseURL)/affiliates/\(PercentEncoding.encode(entry.inviterId))/confirm?token=\(token)"
        }
        return "\(settings.baseURL)/signup?token=\(token)"
    }

    /// `<invitation.ID@domain>`: the same for every attempt at this invitation's email. An id with
    /// characters a Message-ID cannot carry is replaced by a digest of it.
    public static func messageId(_ invitationId: String, settings: MailSettings) -> String {
        let plain = invitationId.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        }
        let local = plain ? invitationId
            : "h" + SHA256.hash(data: Data(invitationId.utf8)).prefix(16).map { String(format: "%02x", $0) }.joined()
        return "<invitation.\(local)@\(settings.messageIdDomain)>"
    }

    static func body(_ entry: OutboxEmail, settings: MailSettings) -> String {
        var lines = ["Hello,", "", "\(entry.inviterName) invites you to join oDesk as a provider."]
        if entry.fromAffiliateManager {
            lines += ["", "\(entry.inviterName) is an affiliate manager: when you sign up through the link below, you join their roster of affiliated providers."]
        } else if let team = entry.teamName {
            lines += ["", "When you sign up, you join the team room of \(team), where \(entry.inviterName) and the team work together."]
        }
        lines += ["", entry.fromAffiliateManager ? "Confirm and start your provider signup here:" : "Start your provider signup here:",
                  signupURL(entry, settings: settings), "",
                  "The link is for you alone and signs up one account. If you did not expect this invitation, you can ignore this email."]
        return lines.joined(separator: "\n")
    }
}
