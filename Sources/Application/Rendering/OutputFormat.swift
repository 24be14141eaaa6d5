/// How query results are printed.
public enum OutputFormat: String, CaseIterable, Sendable {
    /// Aligned columns for reading; times shown in ISO-8601.
    case table
    /// JSON: an array of objects (or, for a view with several parts, an object of arrays).
    case json
    /// RFC 4180 CSV with a header row (several parts: each after a `# part` line and a blank line).
    case csv
    /// A `mailto:` URL addressed to every address of the view's address section (RFC 6068): what
    /// "Email Your Team" and "email all parties" open in an email client.
    case mailto
}
