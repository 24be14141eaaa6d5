import Foundation
import Testing

/// Each marketplace subcommand builds a JSON form the marketplace reads (its fields match docs/EVENTS.md).
@Suite struct CommandFormTests {
    static let subcommands = ["register-account", "invite-providers", "accept-invitation", "revoke-invitation", "expire-invitation",
                              "post-job", "request-interview", "accept-interview", "decline-interview", "send-message",
                              "reply-to-thread", "share-contact-details", "create-team", "invite-to-team", "accept-team-invitation",
                              "leave-team", "remove-team-member", "enable-marketplace-email", "hire", "end-assignment", "record-payment"]

    /// A field a subcommand's help lists: `--flag <placeholder>  (required|optional, …, JSON key)`.
    struct HelpField {
        var flag: String
        var placeholder: String
        var key: String
        var required: Bool
        var repeatable: Bool
    }

    static func helpFields(_ help: String) -> [HelpField] {
        // Help wraps at 80 columns: a long option line continues on the next one.
        let raw = help.split(separator: "\n").map(String.init)
        let joined = raw.indices.map { raw[$0].hasPrefix("  --") && $0 + 1 < raw.count ? raw[$0] + " " + raw[$0 + 1] : raw[$0] }
        return joined.compactMap { line in
            guard line.hasPrefix("  --"), let json = line.range(of: ", JSON ") else { return nil }
            let parts = line.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 2)
            guard parts.count >= 2 else { return nil }
            let key = line[json.upperBound...].prefix { $0 != ")" }
            return HelpField(flag: String(parts[0]), placeholder: parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "<>")),
                             key: String(key), required: line.contains("(required"), repeatable: line.contains(", repeatable"))
        }
    }

    /// Every field a subcommand's help lists, with a plausible value.
    static func fieldArguments(help: String) -> [String] {
        helpFields(help).flatMap { field -> [String] in
            let value: String
            if field.placeholder == "n" {
                value = "100"
            } else if field.placeholder.contains("|") {
                value = String(field.placeholder.split(separator: "|")[0])
            } else {
                value = field.flag.contains("email") ? "someone@example.com" : "v-1"
            }
            return [field.flag, value]
        }
    }

    @Test(arguments: subcommands)
    func theJSONFormIsOneTheMarketplaceReads(subcommand: String) throws {
        let cli = try CLI()
        let help = try cli.run([subcommand, "--help"], withStore: false)
        let fields = Self.fieldArguments(help: help.stdout)
        let printed = try cli.run([subcommand, "--actor", "u-1", "--print-json"] + fields, withStore: false)
        #expect(printed.status == 0, "\(subcommand): \(printed.stderr)")
        let results = try cli.run(["exec", "-"], input: printed.stdout).jsonLines()
        #expect(results.count == 1)
        // Decoded: whatever the business rules say (no such actor here), it is not a malformed command.
        #expect(results.first?["code"] as? String != "malformed", "\(subcommand): \(results.first?["error"] ?? "")")
    }
}
