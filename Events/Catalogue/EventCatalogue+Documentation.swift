extension EventCatalogue {
    /// The catalogue as a Markdown table (type, version, stream, fields with their kinds, older versions):
    /// the events section of docs/EVENTS.md, which CatalogueTests keeps equal to it.
    public static func documentationTable() -> String {
        func describe(_ fields: [FieldEntry]) -> String {
            fields.map { "`\($0.name)` \($0.kind)" }.joined(separator: "; ")
        }
        var lines = [
            "| Type | Version | Stream | Fields (sorted, as written) | Older versions still read |",
            "|---|---|---|---|---|",
        ]
        for entry in entries {
            let older = entry.olderFields.map { "v\($0.version): \(describe($0.fields))" }.joined(separator: "<br>")
            lines.append("| \(entry.type) | \(entry.currentVersion) | `\(entry.stream)` | \(describe(entry.fields)) | \(older) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
