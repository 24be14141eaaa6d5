import Application
import Foundation
import Marketplace
import Testing

/// Each marketplace subcommand builds a JSON form the marketplace reads (its fields match docs/EVENTS.md).
@Suite struct CommandFormTests {
    static let subcommands = ["register-account", "invite-providers", "accept-invitation", "revoke-invitation", "expire-invitation",
                              "post-job", "request-interview", "accept-interview", "decline-interview", "send-message",
                              "reply-to-thread", "share-contact-details", "create-team", "invite-to-team", "accept-team-invitation",
                              "leave-team", "remove-team-member", "enable-marketplace-email", "hire", "end-assignment", "record-payment",
                              "record-invitation-email-sent", "record-invitation-email-failed"]

    /// A field of a subcommand, from its command's declaration (`CommandForm`).
    struct HelpField {
        var flag: String
        var placeholder: String
        var key: String
        var required: Bool
        var repeatable: Bool
        var choices: [String]
    }

    static func form(_ subcommand: String) -> CommandForm? {
        CommandForms.forms.first { $0.subcommand == subcommand }
    }

    static func fields(_ subcommand: String) -> [HelpField] {
        (form(subcommand)?.fields ?? []).map { field in
            HelpField(flag: "--" + field.flag, placeholder: field.valueName, key: field.key, required: field.isRequired,
                      repeatable: field.isList, choices: field.choices)
        }
    }

    /// Every field of a subcommand, with a plausible value.
    static func fieldArguments(_ subcommand: String) -> [String] {
        fields(subcommand).flatMap { field -> [String] in
            let value: String
            if field.placeholder == "n" {
                value = "100"
            } else if let choice = field.choices.first {
                value = choice
            } else {
                value = field.flag.contains("email") ? "someone@example.com" : "v-1"
            }
            return [field.flag, value]
        }
    }

    @Test func theSubcommandsAreTheDeclaredCommands() {
        #expect(CommandForms.forms.map(\.subcommand) == Self.subcommands)
        #expect(CommandForms.forms.map(\.name) == Command.names)
    }

    /// The help lists each field with its placeholder, and its example runs as given.
    @Test(arguments: subcommands)
    func theHelpListsEveryFieldAndItsExampleIsACommand(subcommand: String) throws {
        let cli = try CLI()
        let help = try cli.run([subcommand, "--help"], withStore: false)
        for field in Self.fields(subcommand) {
            #expect(help.stdout.contains("  \(field.flag) <\(field.placeholder)>"), "\(subcommand) --help does not list \(field.flag)")
        }
        let form = try #require(Self.form(subcommand))
        #expect(help.stdout.contains(form.exampleArguments.last ?? "--actor"))
        let printed = try cli.run([subcommand, "--print-json"] + form.example.flatMap { pair in
            ["--" + (pair.key == "actor" ? "actor" : form.field(key: pair.key)?.flag ?? pair.key), pair.value]
        }, withStore: false)
        #expect(printed.status == 0, "\(subcommand): \(printed.stderr)")
        #expect(printed.stdout == form.exampleJSON + "\n")
        #expect(throws: Never.self) { try CommandForms.decode(json: form.exampleJSON) }
    }

    @Test(arguments: subcommands)
    func theJSONFormIsOneTheMarketplaceReads(subcommand: String) throws {
        let cli = try CLI()
        let fields = Self.fieldArguments(subcommand)
        let printed = try cli.run([subcommand, "--actor", "u-1", "--print-json"] + fields, withStore: false)
        #expect(printed.status == 0, "\(subcommand): \(printed.stderr)")
        let results = try cli.run(["exec", "-"], input: printed.stdout).jsonLines()
        #expect(results.count == 1)
        // Decoded: whatever the business rules say (no such actor here), it is not a malformed command.
        #expect(results.first?["code"] as? String != "malformed", "\(subcommand): \(results.first?["error"] ?? "")")
    }
}
