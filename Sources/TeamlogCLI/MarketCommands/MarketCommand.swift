import ArgumentParser
import Marketplace

/// Names the row of `CommandSpecs` a `MarketCommand` runs.
protocol CommandSlot {
    static var command: String { get }
}

/// One marketplace command as a subcommand (`teamlog invite-providers --actor u-1 --email a@example.com`).
/// It builds the command's JSON Lines form and runs it exactly as `exec` would.
struct MarketCommand<Slot: CommandSlot>: ParsableCommand {
    static var spec: CommandSpec { CommandSpecs.spec(command: Slot.command) }

    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: spec.name, abstract: spec.abstract,
                             usage: "teamlog \(spec.name) --actor <user-id> [--command-id <id>] <fields>",
                             discussion: CommandLineForm(spec: spec).discussion, aliases: spec.aliases)
    }

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: ArgumentHelp("Who issues the command (a user id; `system` for the expiry sweep).", valueName: "user-id"))
    var actor: String

    @Option(help: ArgumentHelp("Idempotency key: a command id already applied is not applied again.", valueName: "id"))
    var commandId: String?

    @Option(help: ArgumentHelp("Groups the commits of one user action.", valueName: "id"))
    var correlationId: String?

    @Flag(help: "Print the command's JSON Lines form instead of running it.")
    var printJSON = false

    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("The command's fields, as --name value (listed below).", valueName: "fields"))
    var fields: [String] = []

    func run() throws {
        let line = try CommandLineForm(spec: Self.spec).jsonLine(actor: actor, commandId: commandId,
                                                                 correlationId: correlationId, arguments: fields)
        // The arguments as given, not as Swift repaired them (invalid UTF-8 became U+FFFD).
        let invalid = RawArguments.invalidUTF8()
        if printJSON {
            if let invalid { throw CLIError(.rejected, invalid.description) }
            StandardStreams.out(line)
            return
        }
        let envelope = invalid.map { Result<CommandEnvelope, CommandRejection>.failure($0) }
            ?? Result { () throws(CommandRejection) in try CommandEnvelope.parse(jsonLine: line) }
        let execution = try CommandExecution(store: Store(storeOptions))
        let outcome = try execution.run([CommandExecution.Item(line: 1, envelope: envelope)], includeLine: false)
        execution.checkpoint()
        for result in outcome {
            StandardStreams.out(result.jsonLine)
            if let error = result.error { throw error }
        }
    }
}
