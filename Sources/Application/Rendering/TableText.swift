public import Projections

/// Aligned columns: a header, a rule, the rows; `(no rows)` when empty.
public enum TableText {
    public static func lines(_ result: QueryResult) -> [String] {
        let cells = result.rows.map { row in zip(result.columns, row).map { CellText.table($1, column: $0) } }
        return lines(columns: result.columns, cells: cells)
    }

    public static func lines(columns: [String], cells: [[String]]) -> [String] {
        guard !columns.isEmpty else { return ["(no columns)"] }
        var widths = columns.map(\.count)
        for row in cells {
            for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) }
        }
        func line(_ values: [String]) -> String { Self.line(values, widths: widths) }
        var out = [line(columns), line(widths.map { String(repeating: "-", count: $0) })]
        out += cells.map(line)
        if cells.isEmpty { out.append("(no rows)") }
        return out
    }

    public static func line(_ values: [String], widths: [Int]) -> String {
        var text = ""
        for (index, value) in values.enumerated() {
            let isLast = index == values.count - 1
            let width = index < widths.count ? widths[index] : value.count
            text += isLast ? value : value + String(repeating: " ", count: max(width - value.count, 0) + 2)
        }
        return text
    }
}
