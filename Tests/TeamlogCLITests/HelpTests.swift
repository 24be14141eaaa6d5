import Foundation
import Testing

/// The exact help text of the root command and of subcommands of each kind, at 80 columns (after
/// swift-argument-parser's `MathExampleTests`). The market subcommands' text comes from their commands'
/// declarations (`CommandForm`): a change to a declaration shows here. The expected texts are the files
/// of `Fixtures/help/`, byte for byte; `TEAMLOG_UPDATE_HELP=1 swift test --filter HelpTests` rewrites
/// them from the built `teamlog` (then read the diff before committing it).
@Suite struct HelpTests {
    /// `teamlog <arguments>` at 80 columns: its standard output, after checking it exited 0 and printed no error.
    static func help(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let result = try CLI().run(arguments, withStore: false, environment: ["COLUMNS": "80"])
        #expect(result.status == 0, sourceLocation: sourceLocation)
        #expect(result.stderr == "", sourceLocation: sourceLocation)
        return result.stdout
    }

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/help")

    /// The text of `Fixtures/help/<name>.txt`.
    static func fixture(_ name: String) throws -> String {
        try String(contentsOf: fixtures.appendingPathComponent(name + ".txt"), encoding: .utf8)
    }

    /// Expects `teamlog <arguments>`'s help to be the text of fixture `name` followed by `suffix`, exactly.
    static func expectHelp(_ arguments: [String], is name: String, followedBy suffix: String = "",
                           sourceLocation: SourceLocation = #_sourceLocation) throws {
        let text = try help(arguments, sourceLocation: sourceLocation)
        if ProcessInfo.processInfo.environment["TEAMLOG_UPDATE_HELP"] == "1", text.hasSuffix(suffix) {
            try String(text.dropLast(suffix.count)).write(to: fixtures.appendingPathComponent(name + ".txt"), atomically: true, encoding: .utf8)
            return
        }
        #expect(text == (try fixture(name)) + suffix, "teamlog \(arguments.joined(separator: " ")): not Fixtures/help/\(name).txt",
                sourceLocation: sourceLocation)
    }

    @Test func theRootHelp() throws {
        try Self.expectHelp(["--help"], is: "root")
    }

    /// How every market subcommand's help ends: the options besides the command's fields.
    static var marketOptions: String { get throws { try fixture("market-options") } }

    @Test(arguments: CommandFormTests.subcommands)
    func everyMarketSubcommandEndsWithTheSameOptions(subcommand: String) throws {
        #expect(try Self.help([subcommand, "--help"]).hasSuffix("\n\n" + (try Self.marketOptions)))
    }

    @Test func aCommandWithAChoiceField() throws {
        try Self.expectHelp(["register-account", "--help"], is: "register-account", followedBy: try Self.marketOptions)
    }

    @Test func aCommandWithAListField() throws {
        try Self.expectHelp(["invite-providers", "--help"], is: "invite-providers", followedBy: try Self.marketOptions)
    }

    @Test func exec() throws {
        try Self.expectHelp(["exec", "--help"], is: "exec")
    }

    @Test func postgresSync() throws {
        try Self.expectHelp(["pg", "sync", "--help"], is: "pg-sync")
    }

    @Test func query() throws {
        try Self.expectHelp(["query", "--help"], is: "query")
    }

    /// `teamlog help <subcommand>` prints what `teamlog <subcommand> --help` does, for every subcommand.
    @Test(arguments: ["exec", "query"] + CommandFormTests.subcommands)
    func helpSubcommandIsTheSameText(subcommand: String) throws {
        #expect(try Self.help(["help", subcommand]) == (try Self.help([subcommand, "--help"])))
    }
}
