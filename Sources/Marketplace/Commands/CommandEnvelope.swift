import Events
import Foundation

/// A command with who issued it and its idempotency key. JSON form, one object per line:
/// `{"command": "InviteProviders", "actor": "u-17", "commandId": "c-1", "emails": ["a@example.com"]}`.
public struct CommandEnvelope: Sendable, Hashable, Codable {
    /// Who issues the command: a user id, or `system` for the system's own commands (e.g. `ExpireInvitation`).
    public var actor: String
    /// Idempotency key: a command id that was already applied is not applied again.
    public var commandId: String?
    /// Groups the commits of one user action.
    public var correlationId: String?
    public var command: Command
    /// Who sends the command on the actor's behalf (a server's operator key), recorded in the commit
    /// beside the actor. Not part of the JSON form: a front end sets it from the caller's credentials.
    public var principal: String?

    public init(actor: String, commandId: String? = nil, correlationId: String? = nil, _ command: Command, principal: String? = nil) {
        self.actor = actor
        self.commandId = commandId
        self.correlationId = correlationId
        self.command = command
        self.principal = principal
    }

    /// The actor name of the system's own commands.
    public static let systemActor = "system"

    private enum Keys: String, CodingKey, CaseIterable {
        case command, actor, commandId, correlationId
    }

    /// The keys every command may have beside its own fields.
    public static let envelopeKeys: [String] = Keys.allCases.map(\.rawValue)

    /// Any key of the object, to find those that are neither the envelope's nor the command's.
    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Whether a parse may go without an `actor`, and whether the body had one.
    private final class ActorPresence: @unchecked Sendable {
        static let key = CodingUserInfoKey(rawValue: "teamlog.actorPresence")!
        let optional: Bool
        var given = true
        init(optional: Bool) { self.optional = optional }
    }

    /// A key that is neither the envelope's nor a field of the command: a misspelt or misplaced field,
    /// which would otherwise be dropped without a word.
    struct UnknownKey: Error {
        let key: String
        let command: String
        let fields: [String]
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        if let presence = decoder.userInfo[ActorPresence.key] as? ActorPresence, presence.optional {
            // Left out is allowed; given, it must be a string (null is refused as ever).
            presence.given = container.contains(.actor)
            actor = presence.given ? try container.decode(String.self, forKey: .actor) : ""
        } else {
            actor = try container.decode(String.self, forKey: .actor)
        }
        let name = try container.decode(String.self, forKey: .command)
        if let fields = Command.fields(of: name) {
            let allowed = Set(Self.envelopeKeys + fields)
            let keys = try decoder.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue)
            if let unknown = keys.sorted().first(where: { !allowed.contains($0) }) {
                throw UnknownKey(key: unknown, command: name, fields: fields)
            }
        }
        commandId = try container.decodeIfPresent(String.self, forKey: .commandId)
        correlationId = try container.decodeIfPresent(String.self, forKey: .correlationId)
        command = try Command(name: name, from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        try command.encodeFields(to: encoder)
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(command.name, forKey: .command)
        try container.encode(actor, forKey: .actor)
        try container.encodeIfPresent(commandId, forKey: .commandId)
        try container.encodeIfPresent(correlationId, forKey: .correlationId)
    }

    /// Reads one JSON Lines command; a malformed line is a rejection that names the problem (never the values).
    public static func parse(jsonLine: some StringProtocol) throws(CommandRejection) -> CommandEnvelope {
        try parse(jsonBytes: Array(jsonLine.utf8))
    }

    /// Reads one JSON Lines command from its bytes as given (a line of a file, before any decoding to a
    /// `String`, which would replace invalid UTF-8). The line must say exactly what it appears to say
    /// (`StrictJSON`): valid UTF-8 without lone surrogates, each key once, numbers as plain whole
    /// numbers; only then does `JSONDecoder` read it.
    public static func parse(jsonBytes: [UInt8]) throws(CommandRejection) -> CommandEnvelope {
        try parse(jsonBytes: jsonBytes, actorOptional: false).envelope
    }

    /// The same read of a command whose `actor` may be left out (a server takes it from the caller's
    /// key): the envelope, its actor empty when none was given, and whether one was. One pass.
    public static func parse(jsonBytes: [UInt8], actorOptional: Bool) throws(CommandRejection) -> (envelope: CommandEnvelope, actorGiven: Bool) {
        do throws(StrictJSON.Problem) {
            try StrictJSON.check(jsonBytes, integersOnly: true)
        } catch {
            throw .malformed(describe(error))
        }
        let data = Data(jsonBytes)
        let actor = ActorPresence(optional: actorOptional)
        do {
            let decoder = JSONDecoder()
            decoder.userInfo[ActorPresence.key] = actor
            return (try decoder.decode(CommandEnvelope.self, from: data), actor.given)
        } catch let error as DecodingError {
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty, context.debugDescription != "unknown command",
               (try? JSONSerialization.jsonObject(with: data)) != nil {
                // The decoder says "not valid JSON" for a number that does not fit (1.5 or 1e30 for a whole number).
                throw .malformed("a number does not fit its field: give a whole number within range")
            }
            throw .malformed(Self.describe(error))
        } catch let unknown as UnknownKey {
            throw .malformed(Self.describe(unknown))
        } catch {
            throw .malformed("not valid JSON")
        }
    }

    /// Checks the envelope's own fields, whatever the command: the actor, and the command and correlation
    /// ids when given, are ids (1 to 128 bytes, no spaces, control characters or '|').
    func checkIdentifiers() throws(CommandRejection) {
        try Validation.id(actor, "actor")
        if let principal { try Validation.id(principal, "principal") }
        if let commandId { try Validation.id(commandId, "command id") }
        if let correlationId { try Validation.id(correlationId, "correlation id") }
    }

    /// The command as one JSON line (sorted keys).
    public func jsonLine() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    private static func describe(_ problem: StrictJSON.Problem) -> String {
        func field(_ name: String?) -> String { name.map { "the field '\($0)'" } ?? "a field" }
        switch problem {
        case .syntax: return "not valid JSON"
        case .tooDeep: return "not valid JSON for a command: arrays and objects nested more than \(StrictJSON.maxDepth) deep"
        case .invalidUTF8(nil): return "a key is not valid UTF-8: write the line in UTF-8"
        case .invalidUTF8(let name):
            return "\(field(name)) is not valid UTF-8 (bytes that are not UTF-8, an overlong form, an encoded surrogate or a cut sequence): write the text in UTF-8"
        case .loneSurrogate(let name):
            return "\(field(name)) has a \\u escape of a lone surrogate, which is no character: escape a character above U+FFFF as a pair (\\ud83d\\ude00)"
        case .duplicateKey(let name): return "\(field(name)) is given twice: give each field once"
        case .notAPlainInteger(let name):
            return "\(field(name)) must be a whole number written in plain digits (no fraction, exponent or minus zero, e.g. 1000 rather than 1e3 or 1000.0)"
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map(\.stringValue).joined(separator: ".")
        }
        switch error {
        case let .keyNotFound(key, _): return "the field '\(key.stringValue)' is missing"
        case let .valueNotFound(_, context): return "the field '\(path(context))' is null"
        case let .typeMismatch(type, context): return "the field '\(path(context))' should be \(describe(type))"
        case let .dataCorrupted(context):
            if context.debugDescription == "unknown command" {
                return "unknown command; the commands are " + Command.names.joined(separator: ", ")
            }
            return context.codingPath.isEmpty ? "not valid JSON" : "the field '\(path(context))' has an invalid value"
        @unknown default: return "not a command"
        }
    }

    private static func describe(_ unknown: UnknownKey) -> String {
        let fields = unknown.fields.isEmpty ? "it has no fields" : "its fields are " + unknown.fields.joined(separator: ", ")
        return "the key '\(printable(unknown.key))' is not a field of \(unknown.command): \(fields), and every command has "
            + Self.envelopeKeys.joined(separator: ", ") + "; remove the key or correct its spelling"
    }

    /// A key from the input as it may be printed: at most 64 characters, every one outside printable ASCII
    /// (control characters, line breaks, bidirectional overrides, ...) and the backslash and quote escaped
    /// as `\u{…}`, so that a hostile key can neither forge lines nor move the terminal's cursor.
    static func printable(_ key: String, limit: Int = 64) -> String {
        var result = ""
        for (index, scalar) in key.unicodeScalars.enumerated() {
            if index == limit { return result + "… (\(key.unicodeScalars.count) characters)" }
            if (0x20...0x7E).contains(scalar.value), scalar != "\\", scalar != "'" {
                result.unicodeScalars.append(scalar)
            } else {
                result += "\\u{" + String(scalar.value, radix: 16) + "}"
            }
        }
        return result
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type: return "an integer"
        case is [String].Type: return "an array of strings"
        default: return "of another type"
        }
    }
}
