import Foundation

/// Converting between microseconds since the epoch and ISO-8601 text.
public enum Timestamps {
    /// `2024-05-01T10:00:00.250000Z` (UTC, microseconds), formatted by hand: the audit trail prints millions.
    public static func iso(micros: Int64) -> String {
        var seconds = time_t(micros >= 0 ? micros / 1_000_000 : (micros - 999_999) / 1_000_000)
        let fraction = Int(micros - Int64(seconds) * 1_000_000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let year = Int(parts.tm_year) + 1900
        // Written digit by digit: the audit trail formats one per event.
        var bytes = [UInt8](repeating: 0, count: 27)
        func put(_ value: Int, at offset: Int, width: Int) {
            var value = value
            for index in stride(from: offset + width - 1, through: offset, by: -1) {
                bytes[index] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
            }
        }
        if (0...9999).contains(year) { put(year, at: 0, width: 4) }
        bytes[4] = UInt8(ascii: "-")
        put(Int(parts.tm_mon) + 1, at: 5, width: 2)
        bytes[7] = UInt8(ascii: "-")
        put(Int(parts.tm_mday), at: 8, width: 2)
        bytes[10] = UInt8(ascii: "T")
        put(Int(parts.tm_hour), at: 11, width: 2)
        bytes[13] = UInt8(ascii: ":")
        put(Int(parts.tm_min), at: 14, width: 2)
        bytes[16] = UInt8(ascii: ":")
        put(Int(parts.tm_sec), at: 17, width: 2)
        bytes[19] = UInt8(ascii: ".")
        put(fraction, at: 20, width: 6)
        bytes[26] = UInt8(ascii: "Z")
        guard (0...9999).contains(year) else { return String(year) + String(decoding: bytes[4...], as: UTF8.self) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Parses `2024-05-01`, `2024-05-01T10:00:00Z`, `2024-05-01T10:00:00.250+02:00` (UTC when no zone is given).
    ///
    /// The fraction keeps every digit up to microseconds (further digits are cut, never rounded up), so a time
    /// that `iso(micros:)` printed reads back as the same microsecond: Foundation's formatter keeps milliseconds only.
    public static func micros(parsing text: String) -> Int64? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        // Foundation's formatters accept trailing text ("2024-05-01.5"), so the shape is checked first.
        guard isISO8601Shape(trimmed), let (wholeSeconds, fractionMicros) = splittingFraction(trimmed) else { return nil }
        let full = ISO8601DateFormatter()
        let dateOnly = ISO8601DateFormatter()
        dateOnly.formatOptions = [.withFullDate]
        let noZone = ISO8601DateFormatter()
        noZone.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withDashSeparatorInDate]
        let formatters = fractionMicros == nil ? [full, noZone, dateOnly] : [full, noZone]
        for formatter in formatters {
            if let date = formatter.date(from: wholeSeconds) {
                return Int64(date.timeIntervalSince1970.rounded()) * 1_000_000 + (fractionMicros ?? 0)
            }
        }
        return nil
    }

    /// `YYYY-MM-DD`, optionally `THH:MM:SS`, an optional fraction of 1 to 9 digits, and an optional `Z` or `±HH:MM`.
    private static func isISO8601Shape(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        var index = 0
        func digits(_ count: Int) -> Bool {
            guard index + count <= bytes.count, bytes[index..<(index + count)].allSatisfy({ (48...57).contains($0) }) else { return false }
            index += count
            return true
        }
        func byte(_ character: Character) -> Bool {
            guard index < bytes.count, bytes[index] == character.asciiValue else { return false }
            index += 1
            return true
        }
        guard digits(4), byte("-"), digits(2), byte("-"), digits(2) else { return false }
        if index == bytes.count { return true }
        guard byte("T"), digits(2), byte(":"), digits(2), byte(":"), digits(2) else { return false }
        if byte(".") {
            let start = index
            while index < bytes.count, (48...57).contains(bytes[index]) { index += 1 }
            guard (1...9).contains(index - start) else { return false }
        }
        if index == bytes.count || (byte("Z") && index == bytes.count) { return true }
        guard byte("+") || byte("-"), digits(2), byte(":"), digits(2) else { return false }
        return index == bytes.count
    }

    /// `10:00:00.250250Z` → (`10:00:00Z`, 250250); nil when a fraction is there but has no digits or too many.
    private static func splittingFraction(_ text: String) -> (String, Int64?)? {
        guard let time = text.firstIndex(of: "T"), let dot = text[time...].firstIndex(of: ".") else { return (text, nil) }
        let digitsStart = text.index(after: dot)
        let digitsEnd = text[digitsStart...].firstIndex { !("0"..."9").contains($0) } ?? text.endIndex
        let digits = text[digitsStart..<digitsEnd]
        guard (1...9).contains(digits.count) else { return nil }
        let micros = String(digits.prefix(6)).padding(toLength: 6, withPad: "0", startingAt: 0)
        guard let value = Int64(micros) else { return nil }
        return (String(text[..<dot] + text[digitsEnd...]), value)
    }
}
