/// One marketplace command as a subcommand: its name, its JSON name and its fields (see docs/EVENTS.md).
struct CommandSpec: Sendable {
    /// A field of the command's JSON form, given on the command line as `--flag value`.
    struct Field: Sendable {
        enum Kind: Sendable {
            case string
            case integer
            /// Repeatable: each `--flag value` adds one element to the JSON array.
            case list
            /// One of fixed values.
            case choice([String])
        }

        var key: String
        var flag: String
        var kind: Kind
        var required: Bool
        var help: String

        init(_ key: String, _ kind: Kind, required: Bool = true, flag: String? = nil, _ help: String) {
            self.key = key
            self.flag = flag ?? Self.kebab(key)
            self.kind = kind
            self.required = required
            self.help = help
        }

        init(_ key: String, _ help: String) {
            self.init(key, .string, help)
        }

        static func optional(_ key: String, _ kind: Kind, flag: String? = nil, _ help: String) -> Field {
            Field(key, kind, required: false, flag: flag, help)
        }

        static func optional(_ key: String, _ help: String) -> Field {
            Field(key, .string, required: false, help)
        }

        /// `invitationId` -> `invitation-id`.
        static func kebab(_ key: String) -> String {
            var out = ""
            for character in key {
                if character.isUppercase {
                    out += "-" + character.lowercased()
                } else {
                    out.append(character)
                }
            }
            return out
        }

        var valueName: String {
            switch kind {
            case .string, .list: return flag.split(separator: "-").last.map(String.init) ?? "value"
            case .integer: return "n"
            case .choice(let values): return values.joined(separator: "|")
            }
        }
    }

    var name: String
    var command: String
    var aliases: [String] = []
    var abstract: String
    var who: String
    var fields: [Field]
    var example: String
}
