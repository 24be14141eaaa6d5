public import Projections
import GRDB

/// Query answers as lines of a table, JSON or CSV (the CLI prints them; a server would send the JSON).
public enum ResultRenderer {
    public static func lines(_ sections: [ResultSection], format: OutputFormat) -> [String] {
        switch format {
        case .table:
            return sectioned(sections, heading: { "\($0.title) (\($0.result.rows.count))" }) { TableText.lines($0.result) }
        case .json:
            if sections.count == 1 { return [json(sections[0].result)] }
            return [JSONText.object(sections.map { ($0.title, json($0.result)) })]
        case .csv:
            return sectioned(sections, heading: { "# \($0.title)" }) { section in
                [section.result.columns.map { CellText.csv($0.databaseValue) }.joined(separator: ",")]
                    + section.result.rows.map { $0.map(CellText.csv).joined(separator: ",") }
            }
        case .mailto:
            return [mailto(sections.first { $0.result.columns.contains("address") })]
        }
    }

    /// `mailto:` and the section's non-empty addresses, each once, percent-encoded (RFC 6068).
    public static func mailto(_ section: ResultSection?) -> String {
        guard let section, let column = section.result.columns.firstIndex(of: "address") else { return "mailto:" }
        var seen = Set<String>()
        let addresses = section.result.rows.compactMap { row -> String? in
            guard let address = String.fromDatabaseValue(row[column]), !address.isEmpty, seen.insert(address).inserted else { return nil }
            return address
        }
        return "mailto:" + addresses.map { PercentEncoding.encode($0, keeping: "@") }.joined(separator: ",")
    }


    /// The sections' lines one after another; when there are several, each under its heading and
    /// the headings after the first one set off by a blank line.
    private static func sectioned(_ sections: [ResultSection], heading: (ResultSection) -> String,
                                  lines: (ResultSection) -> [String]) -> [String] {
        var out: [String] = []
        for (index, section) in sections.enumerated() {
            if sections.count > 1 {
                if index > 0 { out.append("") }
                out.append(heading(section))
            }
            out += lines(section)
        }
        return out
    }

    public static func json(_ result: QueryResult) -> String {
        JSONText.array(result.rows.map { row in
            JSONText.object(zip(result.columns, row).map { ($0, CellText.json($1)) })
        })
    }
}
