import ArgumentParser

/// Turns `--flag value` arguments into a command's JSON Lines form, following its `CommandSpec`.
struct CommandLineForm {
    let spec: CommandSpec

    func jsonLine(actor: String, commandId: String?, correlationId: String?, arguments: [String]) throws(ValidationError) -> String {
        var values: [String: [String]] = [:]
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            guard argument.hasPrefix("--") else {
                throw ValidationError("unexpected argument '\(argument)': give each field as --name value. \(optionsSummary)")
            }
            var name = String(argument.dropFirst(2))
            var value: String?
            if let equals = name.firstIndex(of: "=") {
                value = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            guard let field = spec.fields.first(where: { $0.flag == name }) else {
                throw ValidationError("unknown option '--\(name)' for \(spec.name). \(optionsSummary)")
            }
            if value == nil {
                index += 1
                guard index < arguments.count else { throw ValidationError("missing value for '--\(name)'.") }
                value = arguments[index]
            }
            if case .list = field.kind {} else if values[field.key] != nil {
                throw ValidationError("'--\(name)' is given twice; it takes one value.")
            }
            values[field.key, default: []].append(value ?? "")
            index += 1
        }
        var pairs: [(String, String)] = [("command", JSONText.string(spec.command)), ("actor", JSONText.string(actor))]
        if let commandId { pairs.append(("commandId", JSONText.string(commandId))) }
        if let correlationId { pairs.append(("correlationId", JSONText.string(correlationId))) }
        for field in spec.fields {
            guard let given = values[field.key] else {
                if field.required { throw ValidationError("missing '--\(field.flag) <\(field.valueName)>' for \(spec.name).") }
                continue
            }
            pairs.append((field.key, try encode(given, as: field)))
        }
        return JSONText.object(pairs)
    }

    private func encode(_ given: [String], as field: CommandSpec.Field) throws(ValidationError) -> String {
        let first = given.first ?? ""
        switch field.kind {
        case .string:
            return JSONText.string(first)
        case .list:
            return JSONText.array(given.map(JSONText.string))
        case .integer:
            guard let number = Int(first) else { throw ValidationError("'--\(field.flag)' takes a whole number.") }
            return String(number)
        case .choice(let allowed):
            guard allowed.contains(first) else {
                throw ValidationError("'--\(field.flag)' takes one of: \(allowed.joined(separator: ", ")).")
            }
            return JSONText.string(first)
        }
    }

    private var optionsSummary: String {
        spec.fields.isEmpty ? "\(spec.name) takes no fields." :
            "The options of \(spec.name) are: " + spec.fields.map { "--\($0.flag)" }.joined(separator: ", ") + "."
    }

    /// The help text listing the fields, for `teamlog <command> --help`.
    var discussion: String {
        var lines = ["Who may run it: \(spec.who).", "", "Fields (see docs/EVENTS.md):"]
        if spec.fields.isEmpty { lines.append("  (none)") }
        for field in spec.fields {
            let notes = [field.required ? "required" : "optional", field.kind.isList ? "repeatable" : nil, "JSON \(field.key)"]
            lines.append("  --\(field.flag) <\(field.valueName)>  (\(notes.compactMap { $0 }.joined(separator: ", ")))")
            lines.append("      \(field.help)")
        }
        lines += ["", "JSON form (for `teamlog exec`): {\"command\":\"\(spec.command)\",\"actor\":\"...\", <fields>}",
                  "", "Example:", "  \(spec.example)"]
        return lines.joined(separator: "\n")
    }
}

extension CommandSpec.Field.Kind {
    var isList: Bool {
        if case .list = self { return true }
        return false
    }
}
