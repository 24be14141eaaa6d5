/// The Events module's code from the catalogue: the choices, one payload type per event (and per older
/// version), and `MarketplaceEvent` with the catalogue's entries.
struct EventCode {
    let schema: EventSchema
    let streamKinds = ["user", "email", "invitation", "roster", "job", "interview", "thread", "team", "assignment"]

    func render() throws -> String {
        var lines = SwiftText.header(from: "Events/catalogue.json")
        try check()
        for choice in schema.choices { lines += render(choice) + [""] }
        for event in schema.events { lines += try render(event) + [""] }
        lines += renderEnum()
        return lines.joined(separator: "\n") + "\n"
    }

    /// What the compiler would not catch, or would report far from the schema.
    func check() throws {
        var names = Set<String>()
        for event in schema.events {
            guard names.insert(event.name).inserted else { throw SchemaError("event \(event.name) is declared twice") }
            for fields in [event.fields] + (event.older ?? []).map(\.fields) {
                let keys = fields.map(\.name)
                guard keys == keys.sorted() else {
                    throw SchemaError("event \(event.name): fields must be in sorted key order (the order payloads are written in): \(keys.sorted())")
                }
                guard Set(keys).count == keys.count else { throw SchemaError("event \(event.name): a field is declared twice") }
                guard fields.count <= 64 else { throw SchemaError("event \(event.name): at most 64 fields") }
            }
            _ = try stream(of: event)
            for older in event.older ?? [] where older.version >= event.version {
                throw SchemaError("event \(event.name): older version \(older.version) is not older than \(event.version)")
            }
        }
    }

    /// `invitation-<invitationId>` -> (`invitation`, `invitationId`).
    func stream(of event: EventSchema.Event) throws -> (kind: String, key: String) {
        let parts = event.stream.split(separator: "-", maxSplits: 1).map(String.init)
        guard parts.count == 2, streamKinds.contains(parts[0]), parts[1].hasPrefix("<"), parts[1].hasSuffix(">") else {
            throw SchemaError("event \(event.name): stream \(event.stream) is not <kind>-<field> with a kind of \(streamKinds)")
        }
        let key = String(parts[1].dropFirst().dropLast())
        guard event.fields.contains(where: { $0.name == key && $0.type == "String" }) else {
            throw SchemaError("event \(event.name): the stream's field \(key) is not a required String field")
        }
        return (parts[0], key)
    }

    func render(_ choice: EventSchema.Choice) -> [String] {
        var lines = SwiftText.doc(choice.doc) + ["public enum \(choice.name): String, PayloadChoice {"]
        for value in choice.cases {
            lines += SwiftText.doc(value.doc ?? "", indent: "    ") + ["    case \(SwiftText.identifier(value.name))"]
        }
        return lines + ["}"]
    }

    /// The stored properties (each with its blank value), the blank and the memberwise initialisers, and
    /// the fields in the schema's (sorted) order.
    func payloadBody(_ name: String, _ fields: [Field]) throws -> [String] {
        var lines: [String] = []
        for field in fields {
            let blank = try SwiftText.blank(field, choices: schema.choices).map { " = " + $0 } ?? ""
            lines.append("    public var \(field.name): \(field.type)\(blank)")
        }
        lines += ["", "    /// The blank payload, which the fast reader fills in.", "    public init() {}", ""]
        if !fields.isEmpty { lines += SwiftText.memberwiseInit(fields, indent: "    ") + [""] }
        let list = fields.map { "PayloadField(\(SwiftText.literal($0.name)), \\.\($0.name))" }.joined(separator: ", ")
        lines.append("    public static let payloadFields: [PayloadField<\(name)>] = [\(list)]")
        return lines
    }

    func render(_ event: EventSchema.Event) throws -> [String] {
        let (kind, key) = try stream(of: event)
        var lines = SwiftText.doc(event.doc) + ["public struct \(event.name): EventPayload {"]
        lines += try payloadBody(event.name, event.fields)
        let older = (event.older ?? []).map { "OlderVersion(\($0.version), \($0.type).fields) { $0.upcast() }" }
        lines += [
            "",
            "    public static let declaration = EventDeclaration<\(event.name)>(",
            "        \(SwiftText.literal(event.name)), version: \(event.version), case: MarketplaceEvent.\(SwiftText.caseName(event.name)),",
            "        stream: (.\(kind), \\.\(key))" + (older.isEmpty ? ")" : ", upcasting: [\(older.joined(separator: ", "))])"),
            "}",
        ]
        for version in event.older ?? [] {
            lines += [""] + SwiftText.doc(version.doc) + ["public struct \(version.type): FieldListed, Codable {"]
            lines += try payloadBody(version.type, version.fields)
            lines += ["    public static let fields = PayloadFields(payloadFields)", "}"]
        }
        return lines
    }

    func renderEnum() -> [String] {
        let types = schema.events.map(\.name)
        var lines = [
            "/// Every event of the catalogue, one case per type. Decode stored events with `EventCatalogue.decode`.",
            "public enum MarketplaceEvent: Sendable, Hashable {",
        ]
        lines += types.map { "    case \(SwiftText.caseName($0))(\($0))" }
        lines += ["", "    /// The event's payload as its own type.", "    public var payload: any EventPayload {", "        switch self {"]
        lines += types.map { "        case .\(SwiftText.caseName($0))(let event): event" }
        lines += ["        }", "    }", "", "    /// The catalogue's entries, in catalogue order.", "    static let declared: [EventCatalogue.Entry] = ["]
        lines += types.map { "        \($0).declaration.entry," }
        lines += ["    ]", "}"]
        return lines
    }
}
