/// The Marketplace module's code from the commands' schema: one payload type per command, `Command` (one
/// case each, with its JSON name, fields, decoding and encoding) and `fillingIds`.
struct CommandCode {
    let schema: CommandSchema

    func render() throws -> String {
        try check()
        var lines = SwiftText.header(from: "Sources/Marketplace/Commands/commands.json") + ["public import Events", ""]
        for command in schema.commands { lines += render(command) + [""] }
        lines += renderEnum() + [""] + renderIds()
        return lines.joined(separator: "\n") + "\n"
    }

    func check() throws {
        var names = Set<String>()
        for command in schema.commands {
            guard names.insert(command.name).inserted else { throw SchemaError("command \(command.name) is declared twice") }
            let keys = command.fields.map(\.name)
            guard Set(keys).count == keys.count else { throw SchemaError("command \(command.name): a field is declared twice") }
            for field in command.fields {
                if field.generated != nil, !field.isOptional {
                    throw SchemaError("command \(command.name): \(field.name) has a generated id, so it must be optional")
                }
                if let list = field.onePer, !command.fields.contains(where: { $0.name == list && $0.type == "[String]" }) {
                    throw SchemaError("command \(command.name): \(field.name) is one per \(list), which is not a required [String] field")
                }
                if field.help == nil { throw SchemaError("command \(command.name): \(field.name) has no help") }
            }
            for pair in command.example where pair.count != 2 || !(pair[0] == "actor" || keys.contains(pair[0])) {
                throw SchemaError("command \(command.name): example entry \(pair) is not [actor or a field, value]")
            }
        }
    }

    func render(_ command: CommandSchema.Command) -> [String] {
        var lines = SwiftText.doc(command.doc) + ["public struct \(command.name): Codable, Sendable, Hashable {"]
        lines += command.fields.map { "    public var \($0.name): \($0.type)" }
        lines += command.fields.isEmpty ? ["    public init() {}"] : [""] + SwiftText.memberwiseInit(command.fields, indent: "    ")
        return lines + ["}"]
    }

    func renderEnum() -> [String] {
        let names = schema.commands.map(\.name)
        var lines = ["/// Every command of the marketplace, one case per workflow step.", "public enum Command: Sendable, Hashable {"]
        lines += names.map { "    case \(SwiftText.caseName($0))(\($0))" }
        lines += ["", "    /// The command's name in its JSON form (`\"command\": \"InviteProviders\"`).", "    public var name: String {",
                  "        switch self {"]
        lines += names.map { "        case .\(SwiftText.caseName($0)): \(SwiftText.literal($0))" }
        lines += ["        }", "    }", "", "    /// Every command name, for messages and documentation.",
                  "    public static let names: [String] = [" + names.map(SwiftText.literal).joined(separator: ", ") + "]", "",
                  "    /// The fields (JSON keys) of the command named `name`, in declaration order; nil for an unknown name.",
                  "    public static func fields(of name: String) -> [String]? {", "        switch name {"]
        lines += schema.commands.map { command in
            "        case \(SwiftText.literal(command.name)): [" + command.fields.map { SwiftText.literal($0.name) }.joined(separator: ", ") + "]"
        }
        lines += ["        default: nil", "        }", "    }", "", "    init(name: String, from decoder: any Decoder) throws {", "        switch name {"]
        lines += names.map { "        case \(SwiftText.literal($0)): self = .\(SwiftText.caseName($0))(try \($0)(from: decoder))" }
        lines += ["        default:", "            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: \"unknown command\"))",
                  "        }", "    }", "", "    func encodeFields(to encoder: any Encoder) throws {", "        switch self {"]
        lines += names.map { "        case .\(SwiftText.caseName($0))(let command): try command.encode(to: encoder)" }
        return lines + ["        }", "    }", "}"]
    }

    /// `fillingIds`: each absent field with a generated id gets `<prefix><fresh id>` (a list: one per element).
    func renderIds() -> [String] {
        var lines = ["extension Command {", "    /// The command with every id it needs and was not given filled from `ids`.",
                     "    public func fillingIds(_ ids: IdGenerator) -> Command {", "        switch self {"]
        var unchanged: [String] = []
        for command in schema.commands {
            let generated = command.fields.filter { $0.generated != nil }
            let name = SwiftText.caseName(command.name)
            guard !generated.isEmpty else {
                unchanged.append("." + name)
                continue
            }
            lines.append("        case .\(name)(var c):")
            for field in generated {
                let fresh = (field.generated ?? "").isEmpty ? "ids.next()" : "\(SwiftText.literal(field.generated ?? "")) + ids.next()"
                if let list = field.onePer {
                    lines.append("            c.\(field.name) = c.\(field.name) ?? c.\(list).map { _ in \(fresh) }")
                } else {
                    lines.append("            c.\(field.name) = c.\(field.name) ?? \(fresh)")
                }
            }
            lines.append("            return .\(name)(c)")
        }
        if !unchanged.isEmpty { lines += ["        case " + unchanged.joined(separator: ", ") + ":", "            return self"] }
        return lines + ["        }", "    }", "}"]
    }
}
