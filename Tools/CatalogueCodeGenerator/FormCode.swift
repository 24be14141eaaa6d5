/// The Application module's code from the commands' schema: each command's `CommandForm` (subcommand,
/// help, fields with their kinds and flags, example) and the list of declared commands.
struct FormCode {
    let schema: CommandSchema

    func render() throws -> String {
        var lines = SwiftText.header(from: "Sources/Marketplace/Commands/commands.json") + ["public import Marketplace", "import Events", ""]
        for command in schema.commands { lines += render(command) + [""] }
        lines += ["extension CommandForms {", "    /// Every command's declaration, in the order of `Command.names`.",
                  "    public static let all: [any DeclaredCommand.Type] = ["]
        lines += schema.commands.map { "        \($0.name).self," }
        return (lines + ["    ]", "}"]).joined(separator: "\n") + "\n"
    }

    /// The field's kind on the command line: text, a whole number, a repeatable option, or a choice.
    func kind(_ field: Field) -> String {
        switch field.baseType {
        case "String": ".string"
        case "Int": ".integer"
        case "[String]": ".list"
        default: ".choice(\(field.baseType).allCases.map(\\.rawValue))"
        }
    }

    func render(_ command: CommandSchema.Command) -> [String] {
        var lines = ["extension \(command.name): DeclaredCommand {", "    public static let form = CommandForm("]
        var arguments = ["for: Self.self"]
        if let aliases = command.aliases { arguments.append("aliases: [" + aliases.map(SwiftText.literal).joined(separator: ", ") + "]") }
        arguments += ["abstract: " + SwiftText.literal(command.abstract), "who: " + SwiftText.literal(command.who)]
        lines.append("        " + arguments.joined(separator: ", ") + ",")
        if command.fields.isEmpty {
            lines.append("        fields: [],")
        } else {
            lines.append("        fields: [")
            for field in command.fields {
                let flag = field.flag.map { ", flag: " + SwiftText.literal($0) } ?? ""
                lines.append("            .\(field.isOptional ? "optional" : "required")(\(SwiftText.literal(field.name)), \(kind(field))\(flag), "
                             + "\(SwiftText.literal(field.help ?? ""))),")
            }
            lines.append("        ],")
        }
        let example = command.example.map { "\(SwiftText.literal($0[0])): \(SwiftText.literal($0[1]))" }.joined(separator: ", ")
        return lines + ["        example: [\(example)])", "}"]
    }
}
