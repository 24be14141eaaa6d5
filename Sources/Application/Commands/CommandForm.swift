public import Marketplace
import Foundation

/// A command's payload type with its declaration: the one place its clients' form is written down.
public protocol DeclaredCommand: Codable, Sendable {
    static var form: CommandForm { get }
}

/// How clients give one marketplace command: its JSON name, its subcommand, who may send it, each field
/// (kind, required or not, help, flag) and an example. Everything else follows from it: the JSON form that
/// `exec` reads (and a server's `POST /v1/commands`), the CLI subcommand's options, usage and help, the
/// example in both forms, and the commands' table in docs/EVENTS.md (`CommandForms.markdownTable`).
///
/// Each command's form is generated at build time from its entry in `Sources/Marketplace/Commands/commands.json`,
/// the same entry its payload struct comes from; `CommandDeclarationTests` checks that each form names
/// exactly its struct's stored properties, optional where they are.
public struct CommandForm: Sendable {
    /// One field of the command's JSON form, given on the command line as `--flag value`.
    public struct Field: Sendable {
        public enum Kind: Sendable, Equatable {
            case string
            /// A whole number (JSON number, plain digits).
            case integer
            /// Repeatable: each `--flag value` adds one element to the JSON array.
            case list
            /// One of fixed values.
            case choice([String])
        }

        /// The JSON key (`invitationIds`).
        public var key: String
        /// The option's name without dashes (`invitation-id`): the kebab-case key unless declared otherwise.
        public var flag: String
        public var kind: Kind
        public var isRequired: Bool
        public var help: String

        init(_ key: String, _ kind: Kind, required: Bool, flag: String?, _ help: String) {
            self.key = key
            self.flag = flag ?? CommandForm.kebab(key)
            self.kind = kind
            self.isRequired = required
            self.help = help
        }

        public static func required(_ key: String, _ kind: Kind, flag: String? = nil, _ help: String) -> Field {
            Field(key, kind, required: true, flag: flag, help)
        }

        public static func optional(_ key: String, _ kind: Kind, flag: String? = nil, _ help: String) -> Field {
            Field(key, kind, required: false, flag: flag, help)
        }

        /// A text field.
        public static func required(_ key: String, _ help: String) -> Field { required(key, .string, help) }

        /// An optional text field.
        public static func optional(_ key: String, _ help: String) -> Field { optional(key, .string, help) }

        /// The value's placeholder in usage and help: the flag's last word, `n` for a number.
        public var valueName: String {
            switch kind {
            case .string, .list: return flag.split(separator: "-").last.map(String.init) ?? "value"
            case .integer: return "n"
            case .choice: return flag.split(separator: "-").last.map(String.init) ?? "value"
            }
        }

        /// The values a choice takes, empty for other kinds.
        public var choices: [String] {
            if case .choice(let values) = kind { return values }
            return []
        }

        public var isList: Bool { kind == .list }

        /// A value given as text (a command-line argument) checked against the field's kind. The message
        /// says what the field takes, never the value.
        public func value(parsing text: String) throws(FieldError) -> String {
            switch kind {
            case .string, .list:
                return text
            case .integer:
                guard Int(text) != nil else { throw FieldError("it takes a whole number.") }
                return text
            case .choice(let allowed):
                guard allowed.contains(text) else { throw FieldError("it takes one of: \(allowed.joined(separator: ", ")).") }
                return text
            }
        }
    }

    /// What a value given for a field is wrong about.
    public struct FieldError: Error, Sendable, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    /// The command's name in its JSON form (`InviteProviders`): its payload type's name.
    public var name: String
    /// The subcommand (`invite-providers`): the kebab-case name.
    public var subcommand: String
    public var aliases: [String]
    public var abstract: String
    /// Who may send it, in words.
    public var who: String
    public var fields: [Field]
    /// A valid use: the actor and field values, by JSON key, in order (a list's key once per element).
    public var example: [(key: String, value: String)]

    public init<Payload: DeclaredCommand>(for payload: Payload.Type, aliases: [String] = [], abstract: String, who: String,
                                          fields: [Field], example: KeyValuePairs<String, String>) {
        name = String(describing: payload)
        subcommand = Self.kebab(name)
        self.aliases = aliases
        self.abstract = abstract
        self.who = who
        self.fields = fields
        self.example = example.map { (key: $0.key, value: $0.value) }
    }

    /// `invitationId` -> `invitation-id`, `RegisterAccount` -> `register-account`.
    static func kebab(_ name: String) -> String {
        var out = ""
        for character in name {
            if character.isUppercase {
                if !out.isEmpty { out += "-" }
                out += character.lowercased()
            } else {
                out.append(character)
            }
        }
        return out
    }

    public func field(key: String) -> Field? {
        fields.first { $0.key == key }
    }

    // MARK: - The JSON form

    /// The command's JSON line from its envelope's fields and its own, each given as text (one element
    /// per list entry), in the declaration's order. The values are the kinds' (`Field.value(parsing:)`).
    public func jsonLine(actor: String, commandId: String?, correlationId: String?, values: [String: [String]]) -> String {
        var pairs: [(String, String)] = [("command", JSONText.string(name)), ("actor", JSONText.string(actor))]
        if let commandId { pairs.append(("commandId", JSONText.string(commandId))) }
        if let correlationId { pairs.append(("correlationId", JSONText.string(correlationId))) }
        for field in fields {
            guard let given = values[field.key], let first = given.first else { continue }
            switch field.kind {
            case .string, .choice: pairs.append((field.key, JSONText.string(first)))
            case .list: pairs.append((field.key, JSONText.array(given.map(JSONText.string))))
            case .integer: pairs.append((field.key, first))
            }
        }
        return JSONText.object(pairs)
    }

    /// The example's values by key (an actor first, then the fields).
    var exampleValues: [String: [String]] {
        var values: [String: [String]] = [:]
        for (key, value) in example { values[key, default: []].append(value) }
        return values
    }

    /// The example as a JSON line (`exec`'s form).
    public var exampleJSON: String {
        let values = exampleValues
        return jsonLine(actor: values["actor"]?.first ?? "", commandId: nil, correlationId: nil, values: values)
    }

    /// The example's arguments as a shell would show them, one `--flag value` each.
    public var exampleArguments: [String] {
        example.map { key, value in "--" + (key == "actor" ? "actor" : field(key: key)?.flag ?? key) + " " + Self.shellQuoted(value) }
    }

    /// The example as a command line (`teamlog invite-providers --actor u-amy --email …`).
    public var exampleCommandLine: String {
        (["teamlog", subcommand] + exampleArguments).joined(separator: " ")
    }

    static func shellQuoted(_ value: String) -> String {
        let plain = !value.isEmpty && value.allSatisfy { $0.isLetter || $0.isNumber || "-_.@/:+=,".contains($0) }
        return plain ? value : "'" + value.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }
}

/// Every command's declaration (`all`, generated from the schema, in the order of `Command.names`).
public enum CommandForms {
    public static var forms: [CommandForm] { all.map { $0.form } }

    public static func named(_ name: String) -> CommandForm? {
        forms.first { $0.name == name }
    }

    /// Reads one command in its JSON form (a line of `exec`, a request's body): a malformed one is a
    /// rejection naming the problem, never the values.
    public static func decode(json bytes: [UInt8]) throws(CommandRejection) -> CommandEnvelope {
        try CommandEnvelope.parse(jsonBytes: bytes)
    }

    public static func decode(json text: String) throws(CommandRejection) -> CommandEnvelope {
        try CommandEnvelope.parse(jsonLine: text)
    }

    /// The commands as a Markdown table (docs/EVENTS.md): command, subcommand, fields, who may send it.
    public static var markdownTable: String {
        var lines = ["| Command | Subcommand | Fields (`?` optional, `[]` a list) | Who may send it |", "|---|---|---|---|"]
        for form in forms {
            let fields = form.fields.map { field in
                var text = "`\(field.key)\(field.isList ? "[]" : "")\(field.isRequired ? "" : "?")`"
                if field.flag != kebab(field.key) { text += " (`--\(field.flag)`)" }
                if field.kind == .integer { text += " (integer)" }
                if !field.choices.isEmpty { text += " (" + field.choices.map { "`\($0)`" }.joined(separator: ", ") + ")" }
                return text
            }
            let names = "`\(form.subcommand)`" + form.aliases.map { ", `\($0)`" }.joined()
            lines.append("| `\(form.name)` | \(names) | \(fields.isEmpty ? "(none)" : fields.joined(separator: ", ")) | \(form.who) |")
        }
        return lines.joined(separator: "\n")
    }

    private static func kebab(_ key: String) -> String { CommandForm.kebab(key) }
}
