import Foundation
@testable import Events

/// One member of a JSON object: its key and its value as JSON text.
typealias JSONMember = (key: String, json: String)

/// A random value as JSON text for each field, of its declared kind (`string`, `int`, `bool`, `[string]`,
/// `one of: …`, each optionally `?`), in the fields' (sorted) order. `optionals`: whether the optional
/// fields are present (nil: each at random).
func sampleMembers(_ fields: [EventCatalogue.FieldEntry], _ g: inout SampleGenerator, optionals: Bool? = nil) -> [JSONMember] {
    var members: [JSONMember] = []
    for field in fields {
        if field.isOptional, !(optionals ?? (g.below(3) != 0)) { continue }
        members.append((field.name, sampleValue(kind: field.kind.hasSuffix("?") ? String(field.kind.dropLast()) : field.kind, &g)))
    }
    return members
}

/// A random value of a field kind, as JSON text.
func sampleValue(kind: String, _ g: inout SampleGenerator) -> String {
    func quoted(_ text: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        return String(decoding: (try? encoder.encode(text)) ?? Data("\"\"".utf8), as: UTF8.self)
    }
    switch kind {
    case "string": return quoted(g.text())
    case "int": return String(g.int())
    case "bool": return g.below(2) == 0 ? "true" : "false"
    case "[string]": return "[" + g.texts().map(quoted).joined(separator: ",") + "]"
    default:
        let choices = kind.hasPrefix("one of: ") ? kind.dropFirst("one of: ".count).components(separatedBy: ", ") : []
        precondition(!choices.isEmpty, "a field kind the samples do not know: \(kind)")
        return quoted(g.pick(choices))
    }
}

/// The members as a JSON object, in their order.
func jsonObject(_ members: [JSONMember]) -> [UInt8] {
    Array(("{" + members.map { "\"\($0.key)\":\($0.json)" }.joined(separator: ",") + "}").utf8)
}

/// One random instance of every event type of the catalogue, each made from its declared fields and read
/// by `JSONDecoder` (the reference): a new type is sampled without being listed here.
func sampleEvents(_ g: inout SampleGenerator) -> [MarketplaceEvent] {
    EventCatalogue.entries.map { entry in
        let payload = jsonObject(sampleMembers(entry.fields, &g))
        return try! EventCatalogue.decodeWithFoundation(type: entry.type, schemaVersion: entry.currentVersion, payload: payload)
    }
}
