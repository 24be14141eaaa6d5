/// Small pieces of Swift source: literals, names, doc comments.
enum SwiftText {
    /// A Swift string literal of `text` (Swift's own escaping: quotes, backslashes, control characters).
    static func literal(_ text: String) -> String { text.debugDescription }

    /// `name` as an identifier, in backticks where it is a keyword (`public`, `private`).
    static func identifier(_ name: String) -> String {
        ["public", "private", "internal", "default", "case", "in", "is", "as", "self"].contains(name) ? "`\(name)`" : name
    }

    /// `InviteProviders` -> `inviteProviders`: the enum case of a type.
    static func caseName(_ typeName: String) -> String {
        typeName.prefix(1).lowercased() + typeName.dropFirst()
    }

    /// `text` as `///` lines at `indent`, wrapped at about 110 columns.
    static func doc(_ text: String, indent: String = "") -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty, indent.count + 4 + line.count + 1 + word.count > 110 {
                lines.append(indent + "/// " + line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(indent + "/// " + line) }
        return lines
    }

    /// The value a blank payload holds for a field of `field.type` (never seen outside the fast reader:
    /// a required field left out is an error).
    static func blank(_ field: Field, choices: [EventSchema.Choice]) throws -> String? {
        if field.isOptional { return nil }
        switch field.type {
        case "String": return "\"\""
        case "Int": return "0"
        case "Bool": return "false"
        case "[String]": return "[]"
        default:
            guard let choice = choices.first(where: { $0.name == field.type }), let first = choice.cases.first else {
                throw SchemaError("field \(field.name): unknown type \(field.type) (String, Int, Bool, [String], a choice, or one of those with ?)")
            }
            return "." + identifier(first.name)
        }
    }

    /// The memberwise initialiser of `fields` (an optional's parameter defaults to nil).
    static func memberwiseInit(_ fields: [Field], indent: String) -> [String] {
        let parameters = fields.map { "\($0.name): \($0.type)" + ($0.isOptional ? " = nil" : "") }.joined(separator: ", ")
        return ["\(indent)public init(\(parameters)) {"] + fields.map { "\(indent)    self.\($0.name) = \($0.name)" } + ["\(indent)}"]
    }

    /// The file's header: where it comes from.
    static func header(from schema: String) -> [String] {
        ["// Generated at build time by Tools/CatalogueCodeGenerator from \(schema): do not edit; edit the schema.", ""]
    }
}
