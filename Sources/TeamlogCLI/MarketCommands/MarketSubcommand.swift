import Application
import ArgumentParser
import Marketplace

/// Every marketplace command as a subcommand, one per declaration (`CommandForms.all`).
enum MarketSubcommands {
    static var all: [any ParsableCommand.Type] { CommandForms.all.map { subcommand(for: $0) } }

    private static func subcommand<Payload: DeclaredCommand>(for _: Payload.Type) -> any ParsableCommand.Type {
        MarketSubcommand<Payload>.self
    }
}

/// A command's fields as options, from its declaration: `--flag <value>` for each, required or not, a
/// list's flag repeatable, a choice's or a number's value checked as it is parsed.
enum CommandFieldOptions<Payload: DeclaredCommand>: OptionDeclarations {
    static var options: [DeclaredOption] {
        Payload.form.fields.map { field in
            DeclaredOption(key: field.key, flag: field.flag, isRequired: field.isRequired, isList: field.isList,
                           help: ArgumentHelp(field.help + (field.choices.isEmpty ? "" : " (values: \(field.choices.joined(separator: ", ")))"),
                                              valueName: field.valueName),
                           parse: { text in try field.value(parsing: text) })
        }
    }
}

/// One marketplace command as a subcommand (`teamlog invite-providers --actor u-1 --email a@example.com`),
/// its options and help from the command's declaration. It builds the command's JSON form and runs it
/// exactly as `exec` would.
struct MarketSubcommand<Payload: DeclaredCommand>: ParsableCommand {
    static var configuration: CommandConfiguration {
        let form = Payload.form
        return CommandConfiguration(commandName: form.subcommand, abstract: form.abstract, usage: usage(form),
                                    discussion: discussion(form), aliases: form.aliases)
    }

    /// `teamlog <subcommand> --actor <user-id>`, the fields (optional ones in brackets), `[<options>]`.
    static func usage(_ form: CommandForm) -> String {
        let fields = form.fields.map { field in
            let option = "--\(field.flag) <\(field.valueName)>\(field.isList ? " ..." : "")"
            return field.isRequired ? option : "[\(option)]"
        }
        return TerminalText.wrapped(["teamlog \(form.subcommand) --actor <user-id>"] + fields + ["[<options>]"], width: 72, indent: "")
    }

    static func discussion(_ form: CommandForm) -> String {
        let keys = form.fields.map { "\($0.key)\($0.isList ? "[]" : "")\($0.isRequired ? "" : "?")" }
        return """
            Who may run it: \(form.who).

            Its JSON form, for `teamlog exec` (--print-json prints it): "command":"\(form.name)", "actor", \
            \(keys.isEmpty ? "no fields" : "the fields " + keys.joined(separator: ", ")) (? optional, [] a list). \
            See docs/EVENTS.md.

            Example:
            \(TerminalText.wrapped(["  teamlog \(form.subcommand)"] + form.exampleArguments, width: 76, indent: "      ", continuation: " \\"))
            """
    }

    @Option(help: ArgumentHelp("Who issues the command (a user id; `system` for the expiry sweep).", valueName: "user-id"))
    var actor: String

    @OptionGroup(title: "Fields")
    var fields: DeclaredOptions<CommandFieldOptions<Payload>>

    @Option(help: ArgumentHelp("Idempotency key: a command id already applied is not applied again.", valueName: "id"))
    var commandId: String?

    @Option(help: ArgumentHelp("Groups the commits of one user action.", valueName: "id"))
    var correlationId: String?

    @Flag(help: "Print the command's JSON Lines form instead of running it.")
    var printJSON = false

    @OptionGroup var storeOptions: StoreOptions

    @OptionGroup var serverOptions: ServerOptions

    func run() throws {
        let line = Payload.form.jsonLine(actor: actor, commandId: commandId, correlationId: correlationId, values: fields.values)
        // The arguments as given, not as Swift repaired them (invalid UTF-8 became U+FFFD).
        let invalid = RawArguments.invalidUTF8()
        if printJSON {
            if let invalid { throw ApplicationError(.rejected, invalid.description) }
            StandardStreams.out(line)
            return
        }
        let envelope = invalid.map { Result<CommandEnvelope, CommandRejection>.failure($0) }
            ?? Result { () throws(CommandRejection) in try CommandForms.decode(json: line) }
        let outcome: [CommandExecution.Outcome]
        if let forwarder = serverOptions.forwarder, invalid == nil {
            outcome = try forwarder.run([(1, Array(line.utf8))]).map { result in
                var single = result
                single.jsonLine = single.jsonLine.hasPrefix("{\"line\":1,") ? "{" + single.jsonLine.dropFirst("{\"line\":1,".count) : single.jsonLine
                return single
            }
        } else {
            let execution = try Store(storeOptions).openCommandExecution()
            outcome = try execution.run([CommandExecution.Item(line: 1, envelope: envelope)], includeLine: false)
            execution.checkpoint()
        }
        for result in outcome {
            StandardStreams.out(result.jsonLine)
            if let error = result.error { throw error }
        }
    }
}
