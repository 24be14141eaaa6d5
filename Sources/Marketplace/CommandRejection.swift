/// Why a command was refused. The message says what to do instead; it never quotes emails, message
/// bodies or other personal data (it says "the address", "the message").
public struct CommandRejection: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable, CaseIterable {
        case malformed
        case invalidInput
        case unknownActor
        case unknownUser
        case unknownInvitation
        case unknownToken
        case unknownJob
        case unknownInterview
        case unknownThread
        case unknownTeam
        case unknownAssignment
        case alreadyExists
        case emailTaken
        case alreadyMember
        case notPermitted
        case publicAffiliateRecruitment
        case attachmentsNotAllowed
        case notAParticipant
        case notTeamAdmin
        case tokenAlreadyUsed
        case tokenRevoked
        case tokenExpired
        case invalidState
        case alreadyTeamMember
        case alreadyInvited
        /// A command id already applied, sent again with another command (`CommandIdRegistry`).
        case commandIdReused
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "rejected (\(code.rawValue)): \(message)" }

    static func malformed(_ reason: String) -> CommandRejection {
        CommandRejection(.malformed, "the command is malformed: \(reason). Send one JSON object per line with a \"command\" name, an \"actor\" and the command's fields.")
    }

    static func invalid(_ message: String) -> CommandRejection {
        CommandRejection(.invalidInput, message)
    }
}
