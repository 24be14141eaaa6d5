import Foundation

/// Syntax checks shared by the commands. Messages name the field, never its value. Every length limit
/// counts UTF-8 bytes.
enum Validation {
    static let maxIdLength = 128
    static let maxNameLength = 200
    static let maxTitleLength = 200
    static let maxSubjectLength = 200
    static let maxBodyLength = 10_000
    static let maxReasonLength = 2_000
    static let maxAddressesPerInvitation = 100
    /// A mail header line's limit (RFC 5322): a Message-ID, a relay's name.
    static let maxHeaderLength = 998
    static let maxPaymentCents = 10_000_000_00

    static func id(_ value: String, _ field: String) throws(CommandRejection) {
        guard !value.isEmpty, value.utf8.count <= maxIdLength else {
            throw .invalid("the \(field) must be 1 to \(maxIdLength) bytes long (an ASCII character is one byte)")
        }
        for byte in value.utf8 where byte <= 0x20 || byte == 0x7F || byte == UInt8(ascii: "|") {
            throw .invalid("the \(field) must not contain spaces, control characters or '|'")
        }
    }

    /// Checks a text's length in UTF-8 bytes (what it costs to store, whatever its characters: a
    /// character may stack any number of combining marks) and that it is not blank unless allowed.
    static func text(_ value: String, _ field: String, max: Int, allowEmpty: Bool = false) throws(CommandRejection) {
        let bytes = value.utf8.count
        guard bytes <= max else {
            throw .invalid("the \(field) is \(bytes) bytes long in UTF-8; the limit is \(max) bytes (an ASCII character is one byte, others two to four): shorten it")
        }
        let trimmedEmpty = value.allSatisfy(\.isWhitespace)
        guard allowEmpty || !trimmedEmpty else { throw .invalid("the \(field) is empty; write one") }
    }

    /// Checks an email address's syntax and returns it normalized (trimmed, lower-cased).
    static func email(_ value: String, _ field: String = "email address") throws(CommandRejection) -> String {
        if let normalized = validASCIIEmail(value) { return normalized }
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

    /// The common case without Foundation: a valid all-ASCII address with no surrounding whitespace,
    /// lower-cased; nil for anything else (which the general path then accepts or rejects). Accepts
    /// exactly what the general path accepts for such input, and normalizes it the same way.
    private static func validASCIIEmail(_ value: String) -> String? {
        var bytes = Array(value.utf8)
        guard !bytes.isEmpty, bytes.count <= 254 else { return nil }
        var at = -1
        for index in bytes.indices {
            var byte = bytes[index]
            guard byte < 0x80 else { return nil }
            if byte >= UInt8(ascii: "A"), byte <= UInt8(ascii: "Z") {
                byte += 0x20
                bytes[index] = byte
            }
            if byte == UInt8(ascii: "@") {
                guard at < 0 else { return nil }
                at = index
            }
        }
        guard at > 0, at <= 64, at < bytes.count - 1 else { return nil }
        for byte in bytes[..<at] where !localTable[Int(byte)] { return nil }
        let domain = bytes[(at + 1)...]
        guard domain.first != UInt8(ascii: "."), domain.last != UInt8(ascii: ".") else { return nil }
        var sawDot = false, previousDot = false
        for byte in domain {
            guard domainTable[Int(byte)] else { return nil }
            let dot = byte == UInt8(ascii: ".")
            if dot && previousDot { return nil }
            sawDot = sawDot || dot
            previousDot = dot
        }
        guard sawDot else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static let localTable = asciiTable("abcdefghijklmnopqrstuvwxyz0123456789.!#$%&'*+/=?^_`{}~-")
    private static let domainTable = asciiTable("abcdefghijklmnopqrstuvwxyz0123456789.-")

    private static func asciiTable(_ allowed: String) -> [Bool] {
        var table = [Bool](repeating: false, count: 128)
        for byte in allowed.utf8 { table[Int(byte)] = true }
        return table
    }

    private static let allowedLocal = Set("abcdefghijklmnopqrstuvwxyz0123456789.!#$%&'*+/=?^_`{}~-".unicodeScalars)
    private static let allowedDomain = Set("abcdefghijklmnopqrstuvwxyz0123456789.-".unicodeScalars)
    private static let allowedPhone = Set("0123456789+-() .".unicodeScalars)

    static func phone(_ value: String) throws(CommandRejection) {
        guard (4...32).contains(value.utf8.count), value.unicodeScalars.allSatisfy(allowedPhone.contains) else {
            throw .invalid("the phone number must be 4 to 32 digits, spaces, '+', '-' or parentheses")
        }
    }
}

