import Foundation
public import GRDB

/// A SQLite value as table text, CSV text or JSON.
public enum CellText {
    public static func plain(_ value: DatabaseValue) -> String {
        switch value.storage {
        case .null: return ""
        case .int64(let int): return String(int)
        case .double(let double): return String(double)
        case .string(let string): return string
        case .blob(let data): return "x'" + data.map { String(format: "%02x", $0) }.joined() + "'"
        }
    }

    /// For tables: `*_micros` columns as ISO-8601 times, newlines folded.
    public static func table(_ value: DatabaseValue, column: String) -> String {
        if column.hasSuffix("_micros"), case .int64(let micros) = value.storage {
            return Timestamps.iso(micros: micros)
        }
        return plain(value).replacingOccurrences(of: "\n", with: " ")
    }

    public static func csv(_ value: DatabaseValue) -> String {
        let text = plain(value)
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    public static func json(_ value: DatabaseValue) -> String {
        switch value.storage {
        case .null: return "null"
        case .int64(let int): return String(int)
        case .double(let double): return double.isFinite ? String(double) : "null"
        case .string(let string): return JSONText.string(string)
        case .blob: return JSONText.string(plain(value))
        }
    }
}
