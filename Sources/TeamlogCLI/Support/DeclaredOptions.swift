import ArgumentParser

/// One option read from a declaration (a command's field, a query's filter) instead of a property wrapper.
struct DeclaredOption: Sendable {
    /// The value's key (the JSON key of a field, the name of a filter).
    var key: String
    var flag: String
    var isRequired: Bool
    var isList: Bool
    var help: ArgumentHelp
    /// Checks one value as given; the error's description says what the option takes.
    var parse: @Sendable (String) throws -> String
}

/// Declared options, for `DeclaredOptions`.
protocol OptionDeclarations {
    static var options: [DeclaredOption] { get }
}

/// Options that ArgumentParser parses, documents and reports errors on exactly as it does its property
/// wrappers', though they come from a declaration read at run time. ArgumentParser finds a type's options
/// by reflecting an instance (`Mirror`) and reads them back by decoding it: this type reflects as one
/// `Option` per declared option and decodes their values by key. The values are text, as given (after
/// `DeclaredOption.parse`), keyed by `DeclaredOption.key`; an option not given has no entry.
/// (That ArgumentParser reflects rather than registers is how it works, not a promise: `HelpTests` and
/// `BadInputTests` would show a release that reads options otherwise.)
struct DeclaredOptions<Declarations: OptionDeclarations>: ParsableArguments, CustomReflectable {
    private(set) var values: [String: [String]] = [:]

    init() {}

    var customMirror: Mirror {
        Mirror(self, children: Declarations.options.map { (label: $0.key as String?, value: Self.definition($0)) })
    }

    /// The option as ArgumentParser's own initializers define it (what `@Option` would).
    private static func definition(_ option: DeclaredOption) -> Any {
        let name = NameSpecification.customLong(option.flag)
        switch (option.isList, option.isRequired) {
        // The value is the next argument whatever it looks like (`--amount-cents -5`, `--body '--'`).
        case (false, true): return Option<String>(name: name, parsing: .unconditional, help: option.help, transform: option.parse)
        case (false, false): return Option<String?>(name: name, parsing: .unconditional, help: option.help, transform: option.parse)
        case (true, true):
            return Option<[String]>(name: name, parsing: .unconditionalSingleValue, help: option.help, transform: option.parse)
        case (true, false):
            return Option<[String]>(wrappedValue: [], name: name, parsing: .unconditionalSingleValue, help: option.help,
                                    transform: option.parse)
        }
    }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        for option in Declarations.options {
            let key = Key(stringValue: option.key)
            let given: [String]
            switch (option.isList, option.isRequired) {
            case (false, true): given = [try container.decode(Option<String>.self, forKey: key).wrappedValue]
            case (false, false): given = try container.decode(Option<String?>.self, forKey: key).wrappedValue.map { [$0] } ?? []
            case (true, _): given = try container.decode(Option<[String]>.self, forKey: key).wrappedValue
            }
            if !given.isEmpty { values[option.key] = given }
        }
    }

    /// ArgumentParser keeps the last of an option given twice; a field takes one value, so that is a mistake.
    func validate() throws {
        var given: [String: Int] = [:]
        let arguments = CommandLine.arguments
        var index = 1
        while index < arguments.count, arguments[index] != "--" {
            let argument = arguments[index]
            index += 1
            guard let option = Declarations.options.first(where: { argument == "--" + $0.flag || argument.hasPrefix("--" + $0.flag + "=") })
            else { continue }
            given[option.flag, default: 0] += 1
            if !option.isList, given[option.flag] == 2 {
                throw ValidationError("'--\(option.flag)' is given twice; it takes one value.")
            }
            // The next argument is its value, whatever it looks like.
            if !argument.contains("=") { index += 1 }
        }
    }
}
