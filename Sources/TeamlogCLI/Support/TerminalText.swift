/// Text laid out for an 80-column terminal.
enum TerminalText {
    /// The words on lines of at most `width` characters (a longer word on a line of its own), each line after
    /// the first starting with `indent`, each line before the last ending with `continuation`.
    static func wrapped(_ words: [String], width: Int, indent: String, continuation: String = "") -> String {
        var lines: [String] = []
        var line = ""
        for word in words {
            if line.isEmpty {
                line = (lines.isEmpty ? "" : indent) + word
            } else if line.count + 1 + word.count + continuation.count <= width {
                line += " " + word
            } else {
                lines.append(line + continuation)
                line = indent + word
            }
        }
        lines.append(line)
        return lines.joined(separator: "\n")
    }
}
