import Testing
@testable import Marketplace

/// A key that is neither the envelope's nor a field of the command is refused as malformed, naming the
/// key (printed safely: capped, control characters escaped) and listing the command's fields; never its value.
@Suite struct UnknownKeyTests {
    static func rejection(_ line: String) -> CommandRejection? {
        do {
            _ = try CommandEnvelope.parse(jsonLine: line)
            return nil
        } catch {
            return error
        }
    }

    @Test func aMisspeltFieldIsRefusedNamingTheKeyAndTheCommandsFields() throws {
        let line = #"{"command":"RegisterAccount","actor":"u-a","role":"buyer","name":"A","email":"a@example.com","emial":"secret-value"}"#
        let rejection = try #require(Self.rejection(line))
        #expect(rejection.code == .malformed)
        #expect(rejection.message.contains("the key 'emial' is not a field of RegisterAccount"), "\(rejection.message)")
        #expect(rejection.message.contains("its fields are userId, role, name, email"), "\(rejection.message)")
        #expect(rejection.message.contains("command, actor, commandId, correlationId"), "\(rejection.message)")
        #expect(!rejection.message.contains("secret-value"), "\(rejection.message)")
    }

    @Test func theUnknownKeyIsNamedBeforeTheFieldItLeftMissing() throws {
        // `emial` instead of `email`: the message names the misspelling, not only the missing field.
        let line = #"{"command":"RegisterAccount","actor":"u-a","role":"buyer","name":"A","emial":"a@example.com"}"#
        let rejection = try #require(Self.rejection(line))
        #expect(rejection.message.contains("'emial'"), "\(rejection.message)")
    }

    @Test func aCommandWithoutFieldsSaysSo() throws {
        let rejection = try #require(Self.rejection(#"{"command":"EnableMarketplaceEmail","actor":"u-a","userId":"u-a"}"#))
        #expect(rejection.code == .malformed)
        #expect(rejection.message.contains("'userId' is not a field of EnableMarketplaceEmail: it has no fields"), "\(rejection.message)")
    }

    @Test(arguments: Command.names)
    func theEnvelopeKeysAndTheCommandsOwnFieldsAreAccepted(name: String) throws {
        // Every key the command has (given as JSON null, which no field rejects as unknown) and the envelope's.
        let fields = try #require(Command.fields(of: name))
        let keys = fields.map { "\"\($0)\":null" } + [#""commandId":"c-1""#, #""correlationId":"k-1""#]
        let line = #"{"command":"\#(name)","actor":"u-a","# + keys.joined(separator: ",") + "}"
        if let rejection = Self.rejection(line) {
            #expect(!rejection.message.contains("is not a field"), "\(name): \(rejection.message)")
        }
    }

    @Test func aHostileKeyIsPrintedCappedAndEscaped() throws {
        let hostile = "x\\u001b[2J\\n\\u202eevil\\\\'" + String(repeating: "k", count: 10_000)
        let rejection = try #require(Self.rejection(#"{"command":"LeaveTeam","actor":"u-a","teamId":"t","\#(hostile)":1}"#))
        #expect(rejection.code == .malformed)
        let message = rejection.message
        #expect(message.contains(#"'x\u{1b}[2J\u{a}\u{202e}evil\u{5c}\u{27}kkk"#), "\(message.prefix(300))")
        #expect(message.contains("… (10013 characters)"), "\(message.prefix(300))")
        #expect(!message.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x202E }, "raw control characters in the message")
        #expect(message.utf8.count < 600, "the key is not capped: \(message.utf8.count) bytes")
    }

    @Test func printableEscapesWhatATerminalWouldObey() {
        #expect(CommandEnvelope.printable("plainKey_1") == "plainKey_1")
        #expect(CommandEnvelope.printable("a\u{7}b\u{7F}c") == #"a\u{7}b\u{7f}c"#)
        #expect(CommandEnvelope.printable("é") == #"\u{e9}"#)
        #expect(CommandEnvelope.printable(String(repeating: "a", count: 65)) == String(repeating: "a", count: 64) + "… (65 characters)")
    }
}
