/// One bad input to a marketplace subcommand and what it must get: the exit code, the rejection code
/// (for exit 2, also in the result line), and words the message must contain (case-insensitive).
struct BadInput: Sendable, CustomStringConvertible {
    var subcommand: String
    var arguments: [String]
    var status: Int32
    var code: String?
    var mentions: [String]

    var description: String { "teamlog \(subcommand) \(arguments.joined(separator: " ").prefix(160))" }

    static func rejected(_ subcommand: String, _ code: String, _ mentions: [String], _ arguments: [String]) -> BadInput {
        BadInput(subcommand: subcommand, arguments: arguments, status: 2, code: code, mentions: mentions)
    }

    static func usage(_ subcommand: String, _ mentions: [String], _ arguments: [String]) -> BadInput {
        BadInput(subcommand: subcommand, arguments: arguments, status: 64, code: nil, mentions: mentions)
    }
}

/// The business rules' bad inputs to each subcommand, on `BadInputFixture`'s story: invalid addresses,
/// over-long texts, attachments, unknown users and ids, taken ids, forbidden actions. (Missing fields, wrong
/// types, unknown options and unknown actors are generated for every subcommand by the tests.)
enum BadInputCases {
    static let long201 = String(repeating: "x", count: 201)
    static let long2001 = String(repeating: "r", count: 2_001)
    static let long10001 = String(repeating: "y", count: 10_001)
    static let longId = String(repeating: "i", count: 129)
    static let invalidEmails = ["not-an-email", "a@b", "a@@example.com", "@example.com", "a b@example.com", "a@.example.com",
                                "a@example..com", "é@example.com", String(repeating: "a", count: 65) + "@example.com", "a@exa_mple.com"]

    static let all: [BadInput] = accounts + invitations + jobs + messages + teams + work + mail

    static let accounts: [BadInput] = invalidEmails.map {
        .rejected("register-account", "invalidInput", ["email address", "not a valid address"],
                  ["--actor", "u-x", "--role", "buyer", "--name", "N", "--email", $0])
    } + [
        .rejected("register-account", "emailTaken", ["address"], ["--actor", "u-x", "--role", "buyer", "--name", "N", "--email", "SAM@example.net"]),
        .rejected("register-account", "alreadyExists", ["user id", "taken"],
                  ["--actor", "u-x", "--user-id", "u-sam", "--role", "buyer", "--name", "N", "--email", "n@example.com"]),
        .rejected("register-account", "invalidInput", ["user id", "spaces"],
                  ["--actor", "u-x", "--user-id", "u x", "--role", "buyer", "--name", "N", "--email", "n@example.com"]),
        .rejected("register-account", "invalidInput", ["user id", "128"],
                  ["--actor", "u-x", "--user-id", longId, "--role", "buyer", "--name", "N", "--email", "n@example.com"]),
        .rejected("register-account", "invalidInput", ["name", "limit is 200"],
                  ["--actor", "u-x", "--role", "buyer", "--name", long201, "--email", "n@example.com"]),
        .rejected("register-account", "invalidInput", ["name", "empty"], ["--actor", "u-x", "--role", "buyer", "--name", "  ", "--email", "n@example.com"]),
        .rejected("register-account", "invalidInput", ["actor"], ["--actor", "", "--role", "buyer", "--name", "N", "--email", "n@example.com"]),
        .rejected("register-account", "invalidInput", ["actor"], ["--actor", "u x", "--role", "buyer", "--name", "N", "--email", "n@example.com"]),
        .rejected("enable-marketplace-email", "notPermitted", ["only buyers"], ["--actor", "u-sam"]),
    ]

    static let invitations: [BadInput] = invalidEmails.prefix(4).map {
        .rejected("invite-providers", "invalidInput", ["address number 1", "not a valid address"], ["--actor", "u-amy", "--email", $0])
    } + [
        .rejected("invite-providers", "invalidInput", ["1 to 100"], ["--actor", "u-amy"] + (1...101).flatMap { ["--email", "p\($0)@example.com"] }),
        .rejected("invite-providers", "alreadyMember", ["already belongs to a member", "interview", "team"], ["--actor", "u-bob", "--email", "sam@example.net"]),
        .rejected("invite-providers", "invalidInput", ["repeats"], ["--actor", "u-amy", "--email", "q@example.com", "--email", "Q@Example.com"]),
        .rejected("invite-providers", "notPermitted", ["staffing managers"], ["--actor", "u-sue", "--email", "q@example.com"]),
        .rejected("invite-providers", "notPermitted", ["private job"], ["--actor", "u-acme", "--email", "q@example.com"]),
        .rejected("invite-providers", "unknownTeam", ["t-nope"], ["--actor", "u-bob", "--email", "q@example.com", "--team-id", "t-nope"]),
        .rejected("invite-providers", "notPermitted", ["members"], ["--actor", "u-eve", "--email", "q@example.com", "--team-id", "t-acme"]),
        .rejected("invite-providers", "invalidInput", ["one invitation id and one token per address"],
                  ["--actor", "u-amy", "--email", "q@example.com", "--invitation-id", "i-1", "--invitation-id", "i-2", "--token", "k"]),
        .rejected("invite-providers", "invalidInput", ["token", "'.'"], ["--actor", "u-amy", "--email", "q@example.com", "--invitation-id", "i-1", "--token", "a.b"]),
        .rejected("invite-providers", "alreadyExists", ["inv-raj", "taken"], ["--actor", "u-amy", "--email", "q@example.com", "--invitation-id", "inv-raj", "--token", "k"]),
        .rejected("invite-providers", "alreadyExists", ["ti-kim", "taken"], ["--actor", "u-amy", "--email", "q@example.com", "--invitation-id", "ti-kim", "--token", "k"]),
        .rejected("accept-invitation", "tokenAlreadyUsed", ["already used"], ["--actor", "anonymous", "--token", "inv-lena.k2", "--name", "L"]),
        .rejected("accept-invitation", "tokenRevoked", ["revoked"], ["--actor", "anonymous", "--token", "inv-old.k3", "--name", "L"]),
        .rejected("accept-invitation", "unknownToken", ["token"], ["--actor", "anonymous", "--token", "inv-raj.wrong", "--name", "L"]),
        .rejected("accept-invitation", "unknownToken", ["token"], ["--actor", "anonymous", "--token", "nodot", "--name", "L"]),
        .rejected("accept-invitation", "alreadyExists", ["user id", "taken"], ["--actor", "anonymous", "--token", "inv-raj.k1", "--name", "L", "--user-id", "u-sam"]),
        .rejected("accept-invitation", "invalidInput", ["name", "limit is 200"], ["--actor", "anonymous", "--token", "inv-raj.k1", "--name", long201]),
        .rejected("accept-invitation", "invalidInput", ["actor"], ["--actor", "", "--token", "inv-raj.k1", "--name", "L"]),
        .rejected("revoke-invitation", "notPermitted", ["only the person who sent"], ["--actor", "u-bob", "--invitation-id", "inv-raj"]),
        .rejected("revoke-invitation", "invalidState", ["already revoked"], ["--actor", "u-amy", "--invitation-id", "inv-old"]),
        .rejected("revoke-invitation", "unknownInvitation", ["inv-nope"], ["--actor", "u-amy", "--invitation-id", "inv-nope"]),
        .rejected("revoke-invitation", "invalidInput", ["invitation id", "spaces"], ["--actor", "u-amy", "--invitation-id", "bad id"]),
        .rejected("expire-invitation", "notPermitted", ["system"], ["--actor", "u-amy", "--invitation-id", "inv-raj"]),
        .rejected("expire-invitation", "invalidState", ["already accepted"], ["--actor", "system", "--invitation-id", "inv-lena"]),
        .rejected("expire-invitation", "unknownInvitation", ["inv-nope"], ["--actor", "system", "--invitation-id", "inv-nope"]),
    ]

    static let jobs: [BadInput] = [
        .rejected("post-job", "invalidInput", ["title", "limit is 200"], ["--actor", "u-bob", "--title", long201, "--description", "D", "--visibility", "public"]),
        .rejected("post-job", "invalidInput", ["description", "limit is 10000"], ["--actor", "u-bob", "--title", "T", "--description", long10001, "--visibility", "public"]),
        .rejected("post-job", "invalidInput", ["title", "empty"], ["--actor", "u-bob", "--title", "", "--description", "D", "--visibility", "public"]),
        .rejected("post-job", "publicAffiliateRecruitment", ["private job"],
                  ["--actor", "u-acme", "--title", "T", "--description", "D", "--visibility", "public", "--purpose", "affiliateRecruitment"]),
        .rejected("post-job", "notPermitted", ["provider companies"], ["--actor", "u-bob", "--title", "T", "--description", "D", "--visibility", "private", "--purpose", "affiliateRecruitment"]),
        .rejected("post-job", "notPermitted", ["only buyers and provider companies"], ["--actor", "u-sam", "--title", "T", "--description", "D", "--visibility", "public"]),
        .rejected("post-job", "alreadyExists", ["job id", "taken"], ["--actor", "u-bob", "--job-id", "j-1", "--title", "T", "--description", "D", "--visibility", "public"]),
        .rejected("request-interview", "unknownJob", ["j-nope"], ["--actor", "u-acme", "--job-id", "j-nope", "--provider-id", "u-kim", "--message", "M"]),
        .rejected("request-interview", "notPermitted", ["posted"], ["--actor", "u-bob", "--job-id", "j-1", "--provider-id", "u-kim", "--message", "M"]),
        .rejected("request-interview", "unknownUser", ["u-ghost"], ["--actor", "u-acme", "--job-id", "j-1", "--provider-id", "u-ghost", "--message", "M"]),
        .rejected("request-interview", "invalidInput", ["not a provider"], ["--actor", "u-acme", "--job-id", "j-1", "--provider-id", "u-eve", "--message", "M"]),
        .rejected("request-interview", "invalidInput", ["message", "limit is 10000"], ["--actor", "u-acme", "--job-id", "j-1", "--provider-id", "u-kim", "--message", long10001]),
        .rejected("request-interview", "invalidInput", ["subject", "limit is 200"],
                  ["--actor", "u-acme", "--job-id", "j-1", "--provider-id", "u-kim", "--message", "M", "--subject", long201]),
        .rejected("request-interview", "alreadyInvited", ["already invited"], ["--actor", "u-acme", "--job-id", "j-1", "--provider-id", "u-sam", "--message", "M"]),
        .rejected("request-interview", "invalidInput", ["thread id", "cannot be used for a new thread"],
                  ["--actor", "u-acme", "--job-id", "j-1", "--provider-id", "u-kim", "--message", "M", "--thread-id", "th-1"]),
        .rejected("request-interview", "alreadyExists", ["interview id", "taken"],
                  ["--actor", "u-acme", "--job-id", "j-1", "--provider-id", "u-kim", "--message", "M", "--interview-id", "iv-1"]),
        .rejected("accept-interview", "notPermitted", ["only the invited provider"], ["--actor", "u-kim", "--interview-id", "iv-1"]),
        .rejected("accept-interview", "unknownInterview", ["iv-nope"], ["--actor", "u-sam", "--interview-id", "iv-nope"]),
        .rejected("decline-interview", "invalidInput", ["reason", "limit is 2000"], ["--actor", "u-sam", "--interview-id", "iv-1", "--reason", long2001]),
        .rejected("decline-interview", "notPermitted", ["only the invited provider"], ["--actor", "u-acme", "--interview-id", "iv-1"]),
    ]

    static let messages: [BadInput] = [
        .rejected("send-message", "attachmentsNotAllowed", ["attachments"],
                  ["--actor", "u-bob", "--recipient-id", "u-kim", "--subject", "S", "--body", "B", "--attachment", "cv.pdf"]),
        .rejected("send-message", "invalidInput", ["yourself"], ["--actor", "u-bob", "--recipient-id", "u-bob", "--subject", "S", "--body", "B"]),
        .rejected("send-message", "unknownUser", ["u-ghost"], ["--actor", "u-bob", "--recipient-id", "u-ghost", "--subject", "S", "--body", "B"]),
        .rejected("send-message", "invalidInput", ["message", "limit is 10000"], ["--actor", "u-bob", "--recipient-id", "u-kim", "--subject", "S", "--body", long10001]),
        .rejected("send-message", "invalidInput", ["subject", "limit is 200"], ["--actor", "u-bob", "--recipient-id", "u-kim", "--subject", long201, "--body", "B"]),
        .rejected("send-message", "invalidInput", ["message", "empty"], ["--actor", "u-bob", "--recipient-id", "u-kim", "--subject", "S", "--body", " "]),
        .rejected("send-message", "notPermitted", ["only members"], ["--actor", "u-eve", "--recipient-id", "u-sam", "--subject", "S", "--body", "B", "--team-id", "t-acme"]),
        .rejected("send-message", "unknownTeam", ["t-nope"], ["--actor", "u-bob", "--recipient-id", "u-kim", "--subject", "S", "--body", "B", "--team-id", "t-nope"]),
        .rejected("send-message", "invalidInput", ["thread id", "cannot be used for a new thread"],
                  ["--actor", "u-bob", "--recipient-id", "u-kim", "--subject", "S", "--body", "B", "--thread-id", "th-1"]),
        .rejected("reply-to-thread", "notAParticipant", ["only the participants"], ["--actor", "u-bob", "--thread-id", "th-1", "--body", "B"]),
        .rejected("reply-to-thread", "unknownThread", ["th-nope"], ["--actor", "u-sam", "--thread-id", "th-nope", "--body", "B"]),
        .rejected("reply-to-thread", "attachmentsNotAllowed", ["attachments"], ["--actor", "u-sam", "--thread-id", "th-1", "--body", "B", "--attachment", "x.png"]),
        .rejected("reply-to-thread", "invalidInput", ["message", "limit is 10000"], ["--actor", "u-sam", "--thread-id", "th-1", "--body", long10001]),
        .rejected("reply-to-thread", "invalidInput", ["message", "empty"], ["--actor", "u-sam", "--thread-id", "th-1", "--body", ""]),
        .rejected("share-contact-details", "invalidInput", ["marketplace address", "no email"],
                  ["--actor", "u-sam", "--thread-id", "th-1", "--kind", "marketplaceAddress", "--email", "s@example.com"]),
        .rejected("share-contact-details", "invalidInput", ["needs an email"], ["--actor", "u-sam", "--thread-id", "th-1", "--kind", "personal"]),
        .rejected("share-contact-details", "invalidInput", ["not a valid address"], ["--actor", "u-sam", "--thread-id", "th-1", "--kind", "personal", "--email", "nope"]),
        .rejected("share-contact-details", "invalidInput", ["phone"],
                  ["--actor", "u-sam", "--thread-id", "th-1", "--kind", "personal", "--email", "s@example.com", "--phone", "call me"]),
        .rejected("share-contact-details", "notAParticipant", ["only the participants"], ["--actor", "u-bob", "--thread-id", "th-1", "--kind", "marketplaceAddress"]),
    ]

    static let teams: [BadInput] = [
        .rejected("create-team", "notPermitted", ["only buyers and provider companies"], ["--actor", "u-sam", "--name", "T"]),
        .rejected("create-team", "alreadyExists", ["team id", "taken"], ["--actor", "u-bob", "--team-id", "t-acme", "--name", "T"]),
        .rejected("create-team", "invalidInput", ["team name", "limit is 200"], ["--actor", "u-bob", "--name", long201]),
        .rejected("invite-to-team", "notTeamAdmin", ["only the admins"], ["--actor", "u-sam", "--team-id", "t-acme", "--user-id", "u-eve"]),
        .rejected("invite-to-team", "unknownTeam", ["t-nope"], ["--actor", "u-acme", "--team-id", "t-nope", "--user-id", "u-eve"]),
        .rejected("invite-to-team", "invalidInput", ["not both"], ["--actor", "u-acme", "--team-id", "t-acme", "--user-id", "u-eve", "--email", "eve@example.org"]),
        .rejected("invite-to-team", "invalidInput", ["user id or their email"], ["--actor", "u-acme", "--team-id", "t-acme"]),
        .rejected("invite-to-team", "invalidInput", ["not a valid address"], ["--actor", "u-acme", "--team-id", "t-acme", "--email", "bad@@x"]),
        .rejected("invite-to-team", "unknownUser", ["no member has the address"], ["--actor", "u-acme", "--team-id", "t-acme", "--email", "new@example.com"]),
        .rejected("invite-to-team", "alreadyTeamMember", ["already a member"], ["--actor", "u-acme", "--team-id", "t-acme", "--user-id", "u-sam"]),
        .rejected("invite-to-team", "alreadyInvited", ["pending invitation"], ["--actor", "u-acme", "--team-id", "t-acme", "--user-id", "u-kim"]),
        .rejected("invite-to-team", "unknownUser", ["u-ghost"], ["--actor", "u-acme", "--team-id", "t-acme", "--user-id", "u-ghost"]),
        .rejected("invite-to-team", "alreadyExists", ["ti-sam", "taken"], ["--actor", "u-acme", "--team-id", "t-acme", "--user-id", "u-eve", "--invitation-id", "ti-sam"]),
        .rejected("invite-to-team", "alreadyExists", ["inv-raj", "taken"], ["--actor", "u-acme", "--team-id", "t-acme", "--user-id", "u-eve", "--invitation-id", "inv-raj"]),
        .rejected("accept-team-invitation", "notPermitted", ["another user"], ["--actor", "u-eve", "--team-id", "t-acme", "--invitation-id", "ti-kim"]),
        .rejected("accept-team-invitation", "unknownInvitation", ["ti-nope"], ["--actor", "u-kim", "--team-id", "t-acme", "--invitation-id", "ti-nope"]),
        .rejected("accept-team-invitation", "unknownTeam", ["t-nope"], ["--actor", "u-kim", "--team-id", "t-nope", "--invitation-id", "ti-kim"]),
        .rejected("leave-team", "invalidState", ["not a member"], ["--actor", "u-eve", "--team-id", "t-acme"]),
        .rejected("leave-team", "invalidState", ["last admin"], ["--actor", "u-acme", "--team-id", "t-acme"]),
        .rejected("leave-team", "unknownTeam", ["t-nope"], ["--actor", "u-sam", "--team-id", "t-nope"]),
        .rejected("remove-team-member", "notTeamAdmin", ["only the admins"], ["--actor", "u-sam", "--team-id", "t-acme", "--user-id", "u-acme"]),
        .rejected("remove-team-member", "invalidState", ["not a member"], ["--actor", "u-acme", "--team-id", "t-acme", "--user-id", "u-eve"]),
        .rejected("remove-team-member", "invalidInput", ["LeaveTeam"], ["--actor", "u-acme", "--team-id", "t-acme", "--user-id", "u-acme"]),
    ]

    static let work: [BadInput] = [
        .rejected("hire", "notPermitted", ["posted"], ["--actor", "u-eve", "--job-id", "j-site", "--provider-id", "u-sam", "--staffing-manager-id", "u-sue"]),
        .rejected("hire", "unknownJob", ["j-nope"], ["--actor", "u-bob", "--job-id", "j-nope", "--provider-id", "u-sam", "--staffing-manager-id", "u-sue"]),
        .rejected("hire", "unknownUser", ["u-ghost"], ["--actor", "u-bob", "--job-id", "j-site", "--provider-id", "u-ghost", "--staffing-manager-id", "u-sue"]),
        .rejected("hire", "invalidInput", ["not a staffing manager"], ["--actor", "u-bob", "--job-id", "j-site", "--provider-id", "u-sam", "--staffing-manager-id", "u-bob"]),
        .rejected("hire", "alreadyExists", ["assignment id", "taken"],
                  ["--actor", "u-bob", "--job-id", "j-site", "--provider-id", "u-sam", "--staffing-manager-id", "u-sue", "--assignment-id", "a-1"]),
        .rejected("end-assignment", "notPermitted", ["parties"], ["--actor", "u-eve", "--assignment-id", "a-1"]),
        .rejected("end-assignment", "unknownAssignment", ["a-nope"], ["--actor", "u-bob", "--assignment-id", "a-nope"]),
        .rejected("record-payment", "invalidInput", ["amount"], ["--actor", "u-bob", "--assignment-id", "a-1", "--amount-cents", "0", "--currency", "USD"]),
        .rejected("record-payment", "invalidInput", ["amount"], ["--actor", "u-bob", "--assignment-id", "a-1", "--amount-cents", "-5", "--currency", "USD"]),
        .rejected("record-payment", "invalidInput", ["amount"], ["--actor", "u-bob", "--assignment-id", "a-1", "--amount-cents", "1000000001", "--currency", "USD"]),
        .rejected("record-payment", "invalidInput", ["currency"], ["--actor", "u-bob", "--assignment-id", "a-1", "--amount-cents", "100", "--currency", "dollars"]),
        .rejected("record-payment", "notPermitted", ["buyer or the staffing manager"], ["--actor", "u-kim", "--assignment-id", "a-1", "--amount-cents", "100", "--currency", "USD"]),
        .rejected("record-payment", "unknownAssignment", ["a-nope"], ["--actor", "u-bob", "--assignment-id", "a-nope", "--amount-cents", "100", "--currency", "USD"]),
        .usage("record-payment", ["--amount-cents", "whole number"],
               ["--actor", "u-bob", "--assignment-id", "a-1", "--amount-cents", "99999999999999999999", "--currency", "USD"]),
    ]

    static let sent = ["--message-id", "<invitation.inv-yan@odesk.com>", "--relay", "smtp://127.0.0.1:25"]
    static let mail: [BadInput] = [
        .rejected("record-invitation-email-sent", "notPermitted", ["mail delivery"],
                  ["--actor", "u-amy", "--invitation-id", "inv-yan", "--attempt", "1"] + sent),
        .rejected("record-invitation-email-sent", "unknownInvitation", ["inv-nope"],
                  ["--actor", "system", "--invitation-id", "inv-nope", "--attempt", "1"] + sent),
        .rejected("record-invitation-email-sent", "unknownInvitation", ["ti-kim"],
                  ["--actor", "system", "--invitation-id", "ti-kim", "--attempt", "1"] + sent),
        .rejected("record-invitation-email-sent", "invalidInput", ["attempt"],
                  ["--actor", "system", "--invitation-id", "inv-yan", "--attempt", "0"] + sent),
        .rejected("record-invitation-email-failed", "invalidInput", ["retryAtMicros"],
                  ["--actor", "system", "--invitation-id", "inv-yan", "--attempt", "1", "--reason", "x", "--retry-at-micros", "-1"] + sent),
        .rejected("record-invitation-email-failed", "invalidInput", ["reason"],
                  ["--actor", "system", "--invitation-id", "inv-yan", "--attempt", "1", "--reason", long2001] + sent),
    ]
}
