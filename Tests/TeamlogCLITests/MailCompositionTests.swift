import Foundation
import Mail
import Projections
import Testing

/// What an invitation email is made of, byte by byte: no text of a user's can add a header, every line
/// fits SMTP's limits, the link carries the token percent-encoded, and the Message-ID is stable.
struct MailCompositionTests {
    static let settings = try! MailSettings(from: "invitations@odesk.com", baseURL: "https://market.example/")

    static func entry(inviterName: String = "Bob Baker", team: String? = nil, affiliate: Bool = false,
                      invitationId: String = "inv-1", token: String = "inv-1.k1", messageId: String? = nil) -> OutboxEmail {
        OutboxEmail(invitationId: invitationId, recipient: "raj@example.com",
                    subject: InvitationEmailSubject.text(inviterName: inviterName, teamName: team, affiliate: affiliate),
                    inviterId: "u-bob", inviterName: inviterName, fromAffiliateManager: affiliate, teamName: team, token: token,
                    attempts: 0, messageId: messageId, position: 1)
    }

    static func headers(_ text: String) -> [String] {
        let head = text.components(separatedBy: "\r\n\r\n")[0]
        return head.replacingOccurrences(of: "\r\n ", with: " ").components(separatedBy: "\r\n")
    }

    @Test(arguments: ["Eve\r\nBcc: victim@example.com", "Eve\nBcc: victim@example.com", "Eve\rBcc: x@y", "Ève 🎉 Ünïcødé", "=?utf-8?B?QmNjOg==?="])
    func noNameAddsAHeader(name: String) {
        let email = InvitationEmail.make(Self.entry(inviterName: name, team: name), settings: Self.settings, date: Date(timeIntervalSince1970: 0))
        let headers = Self.headers(email.text)
        #expect(headers.map { $0.prefix { $0 != ":" } } == ["From", "To", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type",
                                                            "Content-Transfer-Encoding"])
        #expect(!headers.contains { $0.lowercased().hasPrefix("bcc") })
        let subject = headers[2]
        #expect(subject.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F })
    }

    @Test func everyLineFitsAndTheBodyIsQuotedPrintable() {
        let long = String(repeating: "é", count: 300) + " " + String(repeating: "x", count: 500)
        let email = InvitationEmail.make(Self.entry(inviterName: long, team: ".\n.leading dot"), settings: Self.settings,
                                         date: Date(timeIntervalSince1970: 0))
        for line in email.text.components(separatedBy: "\r\n") {
            #expect(line.utf8.count <= 78, "\(line.prefix(80))")
            #expect(line.utf8.allSatisfy { $0 < 0x80 }, "only ASCII on the wire: \(line.prefix(80))")
        }
        #expect(!email.text.contains("\n") || !email.text.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "bare LF")
    }

    @Test func theLinkCarriesTheTokenPercentEncoded() {
        let plain = InvitationEmail.signupURL(Self.entry(token: "inv-1.a+b/c=d"), settings: Self.settings)
        #expect(plain == "https://market.example/signup?token=inv-1.a%2Bb%2Fc%3Dd")
        let affiliate = InvitationEmail.signupURL(Self.entry(affiliate: true), settings: Self.settings)
        #expect(affiliate == "https://market.example/affiliates/u-bob/confirm?token=inv-1.k1")
    }

    @Test func theMessageIdIsStableAndSafe() {
        #expect(InvitationEmail.messageId("inv-raj", settings: Self.settings) == "<invitation.inv-raj@odesk.com>")
        let odd = InvitationEmail.messageId("inv<@>\"é", settings: Self.settings)
        #expect(odd == InvitationEmail.messageId("inv<@>\"é", settings: Self.settings))
        #expect(odd.hasPrefix("<invitation.h") && odd.hasSuffix("@odesk.com>"))
        #expect(odd.dropFirst().dropLast().filter { $0 == "<" || $0 == ">" || $0 == "\"" }.isEmpty)
        // A re-send keeps the Message-ID recorded at the first attempt, even if the sender's domain changed.
        let other = try! MailSettings(from: "mail@other.example", baseURL: "https://x.example")
        let resent = InvitationEmail.make(Self.entry(messageId: "<invitation.inv-1@odesk.com>"), settings: other, date: Date())
        #expect(resent.messageId == "<invitation.inv-1@odesk.com>")
    }

    @Test(arguments: ["Bob <b@c.d>", "no-at-sign", "a@", "@b", "a b@c.d", "a@b\r\nBcc: x@y"])
    func aSenderThatIsNotAPlainAddressIsRefused(from: String) {
        #expect(throws: MailError.self) { try MailSettings(from: from, baseURL: "https://x.example") }
    }

    @Test func theRetryDelayDoublesUpToItsMaximum() {
        let schedule = RetrySchedule(baseSeconds: 60, maximumSeconds: 3_600)
        #expect((1...9).map(schedule.delaySeconds(afterAttempt:)) == [60, 120, 240, 480, 960, 1_920, 3_600, 3_600, 3_600])
        #expect(schedule.delaySeconds(afterAttempt: 1_000_000) == 3_600)
        #expect(RetrySchedule(baseSeconds: 0, maximumSeconds: 10).delaySeconds(afterAttempt: 5) == 0)
    }
}
