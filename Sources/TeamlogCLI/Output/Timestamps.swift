import Foundation

/// Converting between microseconds since the epoch and ISO-8601 text.
enum Timestamps {
    /// `2024-05-01T10:00:00.250000Z` (UTC, microseconds), formatted by hand: the audit trail prints millions.
    static func iso(micros: Int64) -> String {
        var seconds = time_t(micros >= 0 ? micros / 1_000_000 : (micros - 999_999) / 1_000_000)
        let fraction = Int(micros - Int64(seconds) * 1_000_000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let fractionText = String(fraction)
        return pad(parts.tm_year + 1900, 4) + "-" + pad(parts.tm_mon + 1, 2) + "-" + pad(parts.tm_mday, 2) + "T"
            + pad(parts.tm_hour, 2) + ":" + pad(parts.tm_min, 2) + ":" + pad(parts.tm_sec, 2) + "."
            + String(repeating: "0", count: 6 - fractionText.count) + fractionText + "Z"
    }

    /// Parses `2024-05-01`, `2024-05-01T10:00:00Z`, `2024-05-01T10:00:00.250+02:00` (UTC when no zone is given).
    static func micros(parsing text: String) -> Int64? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let full = ISO8601DateFormatter()
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let dateOnly = ISO8601DateFormatter()
        dateOnly.formatOptions = [.withFullDate]
        let noZone = ISO8601DateFormatter()
        noZone.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withDashSeparatorInDate]
        for formatter in [full, fractional, noZone, dateOnly] {
            if let date = formatter.date(from: trimmed) {
                return Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
            }
        }
        return nil
    }
}
