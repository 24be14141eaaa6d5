/// The Events module's code from the catalogue: the choices, one payload type per event (and per older
/// version), and `MarketplaceEvent` with the catalogue's entries.
struct EventCode {
    let schema: EventSchema
    var streamKinds: [String] { schema.streamKinds }

    func render() throws -> String {
        var lines = SwiftText.header(from: "Events/catalogue.json")
        try check()
        lines += renderStreamKinds() + [""]
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

    func renderStreamKinds() -> [String] {
        [
            "/// The kinds of stream: a stream's name is `<kind>-<id>`. Event declarations name their stream by kind",
            "/// and by the payload field that holds the id.",
            "public enum StreamKind: String, Sendable, CaseIterable {",
            "    case " + streamKinds.map(SwiftText.identifier).joined(separator: ", "),
            "",
            "    /// The name of the stream of this kind for `id`.",
            "    public func name(_ id: String) -> String { rawValue + \"-\" + id }",
            "}",
        ]
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
        return lines + [""] + fastReader(name, fields)
    }

    /// The type's own fast reader: each key is matched against the field expected next (payloads are
    /// written in sorted key order, so usually the first try), then against all; unknown keys are
    /// skipped, a repeated key keeps its last value, a required field left out is an error. The same
    /// rules as `PayloadFields.read`, without its per-field dispatch (decode benchmark).
    func fastReader(_ name: String, _ fields: [Field]) -> [String] {
        let count = fields.count
        var lines = [
            "    /// Reads a payload with the fast reader (keys in any order, sorted the fast path; unknown keys skipped).",
            "    public static func fastRead(_ bytes: UnsafeBufferPointer<UInt8>) throws(FlatJSONError) -> \(name) {",
            "        try FlatJSONReader.read(bytes) { reader throws(FlatJSONError) in",
            "            var payload = \(name)()",
        ]
        guard count > 0 else {
            return lines + ["            while try reader.nextKey() { try reader.skipValue() }", "            return payload", "        }", "    }"]
        }
        lines += [
            "            var seen: UInt64 = 0",
            "            var next = 0",
            "            while try reader.nextKey() {",
            "                var field = next",
            "                if !isField(field, reader) {",
            "                    field = 0",
            "                    while field < \(count), !isField(field, reader) { field += 1 }",
            "                    if field == \(count) {",
            "                        try reader.skipValue()",
            "                        continue",
            "                    }",
            "                }",
            "                switch field {",
        ]
        for (index, field) in fields.enumerated() {
            lines.append("                case \(index): payload.\(field.name) = try \(readExpression(field))")
        }
        lines += [
            "                default: break",
            "                }",
            "                seen |= 1 << UInt64(field)",
            "                next = field + 1",
            "            }",
        ]
        for (index, field) in fields.enumerated() where !field.isOptional {
            lines.append("            if seen & (1 << \(index)) == 0 { throw .missing(\(SwiftText.literal(field.name))) }")
        }
        lines += ["            return payload", "        }", "    }", "",
                  "    @inline(__always) private static func isField(_ field: Int, _ reader: FlatJSONReader) -> Bool {",
                  "        switch field {"]
        for (index, field) in fields.enumerated() {
            lines.append("        case \(index): reader.isKey(\(SwiftText.literal(field.name)))")
        }
        return lines + ["        default: false", "        }", "    }"]
    }

    /// The reader's call for one field's value (an optional: `null` or absent is nil).
    func readExpression(_ field: Field) -> String {
        let key = SwiftText.literal(field.name)
        switch (field.baseType, field.isOptional) {
        case ("String", false): return "reader.string(\(key))"
        case ("String", true): return "reader.optionalString(\(key))"
        case ("Int", false): return "reader.int(\(key))"
        case ("Int", true): return "reader.optionalInt(\(key))"
        case ("Bool", false): return "reader.bool(\(key))"
        case ("Bool", true): return "reader.consumeNull() ? nil : try reader.bool(\(key))"
        case ("[String]", false): return "reader.strings(\(key))"
        case ("[String]", true): return "reader.optionalStrings(\(key))"
        case (let choice, false): return "reader.value(\(key), as: \(choice).self)"
        case (let choice, true): return "reader.optionalValue(\(key), as: \(choice).self)"
        }
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
            lines += [""] + SwiftText.doc(version.doc) + ["public struct \(version.type): EventPayloadVersion {"]
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
        lines += ["    ]", "",
                  "    /// Reads a payload of the type of entry `entry` of `declared`, at `version`, with the type's fast reader,",
                  "    /// upcasting an older version: one direct call per type and version (decode benchmark).",
                  "    static func fastRead(entry: Int, version: UInt16, _ bytes: UnsafeBufferPointer<UInt8>) throws(FlatJSONError) -> MarketplaceEvent {",
                  "        switch (entry, version) {"]
        for (index, event) in schema.events.enumerated() {
            let name = SwiftText.caseName(event.name)
            lines.append("        case (\(index), \(event.version)): .\(name)(try \(event.name).fastRead(bytes))")
            for older in event.older ?? [] {
                lines.append("        case (\(index), \(older.version)): .\(name)(try \(older.type).fastRead(bytes).upcast())")
            }
        }
        lines += ["        default: throw FlatJSONError(\"unknown type or version\")", "        }", "    }", "}"]
        return lines
    }
}
