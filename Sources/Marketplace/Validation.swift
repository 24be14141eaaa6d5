import Foundation

/// Syntax checks shared by the commands. Messages name the field, never its value.
enum Validation {
    static let maxIdLength = 128
    static let maxNameLength = 200
    static let maxTitleLength = 200
    static let maxSubjectLength = 200
    static let maxBodyLength = 10_000
    static let maxReasonLength = 2_000
    static let maxAddressesPerInvitation = 100
    static let maxPaymentCents = 10_000_000_00

    static func id(_ value: String, _ field: String) throws(CommandRejection) {
        guard !value.isEmpty, value.utf8.count <= maxIdLength else {
            throw .invalid("the \(field) must be 1 to \(maxIdLength) characters long")
        }
        for byte in value.utf8 where byte <= 0x20 || byte == 0x7F || byte == UInt8(ascii: "|") {
            throw .invalid("the \(field) must not contain spaces, control characters or '|'")
        }
    }

    static func text(_ value: String, _ field: String, max: Int, allowEmpty: Bool = false) throws(CommandRejection) {
        let trimmedEmpty = value.allSatisfy(\.isWhitespace)
        guard allowEmpty || !trimmedEmpty else { throw .invalid("the \(field) is empty; write one") }
        guard value.utf8.count > max else { return }
        let count = value.count
        guard count <= max else { throw .invalid("the \(field) is \(count) characters long; the limit is \(max): shorten it") }
    }

    /// Checks an email address's syntax and returns it normalized (trimmed, lower-cased).
    static func email(_ value: String, _ field: String = "email address") throws(CommandRejection) -> String {
        let normalized = value.trimmingCharacters(in: .whitespaces).lowercased()
        let parts = normalized.split(separator: "@", omittingEmptySubsequences: false)
        let problem = "the \(field) is not a valid address (expected name@domain.tld): check it and send the command again"
        guard parts.count == 2, normalized.utf8.count <= 254 else { throw .invalid(problem) }
        let local = parts[0], domain = parts[1]
        guard !local.isEmpty, local.utf8.count <= 64, domain.contains("."), !domain.hasPrefix("."), !domain.hasSuffix("."),
              !domain.contains("..") else { throw .invalid(problem) }
        guard local.unicodeScalars.allSatisfy(allowedLocal.contains), domain.unicodeScalars.allSatisfy(allowedDomain.contains) else {
            throw .invalid(problem)
        }
        return normalized
    }

    private static let allowedLocal = Set("abcdefghijklmnopqrstuvwxyz0123456789.!#$%&'*+/=?^_`{}~-".unicodeScalars)
    private static let allowedDomain = Set("abcdefghijklmnopqrstuvwxyz0123456789.-".unicodeScalars)
    private static let allowedPhone = Set("0123456789+-() .".unicodeScalars)

    static func phone(_ value: String) throws(CommandRejection) {
        guard (4...32).contains(value.count), value.unicodeScalars.allSatisfy(allowedPhone.contains) else {
            throw .invalid("the phone number must be 4 to 32 digits, spaces, '+', '-' or parentheses")
        }
    }
}

