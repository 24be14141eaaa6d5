import Foundation

/// `Events/catalogue.json`: the vocabulary's choices and every event type, each declared once.
struct EventSchema: Decodable {
    /// The kinds of stream (a stream's name is `<kind>-<id>`), in the order of `StreamKind`'s cases.
    var streamKinds: [String]
    var choices: [Choice]
    var events: [Event]

    /// A closed set of words (a Swift enum stored as its raw string).
    struct Choice: Decodable {
        var name: String
        var doc: String
        var cases: [Case]

        struct Case: Decodable {
            var name: String
            var doc: String?
        }
    }

    /// One event type: its persisted name, the version written today, its stream, its fields in sorted
    /// key order, and the older versions still read (each turned into today's by its `upcast()`).
    struct Event: Decodable {
        var name: String
        var doc: String
        var version: Int
        /// `<kind>-<field>`: the stream kind and the field that holds the id.
        var stream: String
        var fields: [Field]
        var older: [OlderVersion]?
    }

    struct OlderVersion: Decodable {
        var version: Int
        /// The Swift type of the old payload; a hand-written `upcast()` turns it into the current one.
        var type: String
        var doc: String
        var fields: [Field]
    }
}

/// `Sources/Marketplace/Commands/commands.json`: every command, declared once.
struct CommandSchema: Decodable {
    var commands: [Command]

    struct Command: Decodable {
        var name: String
        /// The payload type's documentation.
        var doc: String
        var aliases: [String]?
        /// The subcommand's one-line help.
        var abstract: String
        /// Who may send it, in words.
        var who: String
        /// In the order of the JSON form and the command line.
        var fields: [Field]
        /// A valid use: `[key, value]` pairs (`actor` first; a list's key once per element).
        var example: [[String]]
    }
}

/// A payload field: its JSON key (the Swift property's name) and its Swift type (`String`, `Int`,
/// `Bool`, `[String]`, a choice's name, or any of those with `?`). Commands add the command line's
/// flag (the kebab-case key unless given), help, and the prefix of an id generated when the field is
/// absent (`onePer`: a list with one generated id per element of that list field).
struct Field: Decodable {
    var name: String
    var type: String
    var flag: String?
    var help: String?
    var generated: String?
    var onePer: String?

    var isOptional: Bool { type.hasSuffix("?") }
    /// The type without its `?`.
    var baseType: String { isOptional ? String(type.dropLast()) : type }
}

/// A schema that cannot be turned into code: says where and what.
struct SchemaError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension Decodable {
    /// The schema in the JSON file at `path`, or an error naming the file and what is wrong with it.
    static func load(_ path: String) throws -> Self {
        guard let data = FileManager.default.contents(atPath: path) else { throw SchemaError("\(path): cannot read the file") }
        do {
            return try JSONDecoder().decode(Self.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw SchemaError("\(path): \(Self.path(context.codingPath + [key])) is missing")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw SchemaError("\(path): \(Self.path(context.codingPath)): \(context.debugDescription)")
        } catch let DecodingError.dataCorrupted(context) {
            throw SchemaError("\(path): \(Self.path(context.codingPath)): \(context.debugDescription)")
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined()
    }
}
