public import Projections
import GRDB

/// Query answers as lines of a table, JSON or CSV (the CLI prints them; a server would send the JSON).
public enum ResultRenderer {
    public static func lines(_ sections: [ResultSection], format: OutputFormat) -> [String] {
        switch format {
        case .table:
            var out: [String] = []
            for (index, section) in sections.enumerated() {
                if sections.count > 1 {
                    if index > 0 { out.append("") }
                    out.append("\(section.title) (\(section.result.rows.count))")
                }
                out += TableText.lines(section.result)
            }
            return out
        case .json:
            if sections.count == 1 { return [json(sections[0].result)] }
            return [JSONText.object(sections.map { ($0.title, json($0.result)) })]
        case .csv:
            var out: [String] = []
            for (index, section) in sections.enumerated() {
                if sections.count > 1 {
                    if index > 0 { out.append("") }
                    out.append("# \(section.title)")
                }
                out.append(section.result.columns.map { CellText.csv($0.databaseValue) }.joined(separator: ","))
                for row in section.result.rows { out.append(row.map(CellText.csv).joined(separator: ",")) }
            }
            return out
        }
    }

    public static func json(_ result: QueryResult) -> String {
        JSONText.array(result.rows.map { row in
            JSONText.object(zip(result.columns, row).map { ($0, CellText.json($1)) })
        })
    }
}
