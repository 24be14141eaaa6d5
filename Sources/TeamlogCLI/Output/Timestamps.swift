import Foundation

/// Converting between microseconds since the epoch and ISO-8601 text.
enum Timestamps {
    static func iso(micros: Int64) -> String {
        let date = Date(timeIntervalSince1970: Double(micros) / 1_000_000)
        return date.formatted(.iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: true)
            .timeSeparator(.colon).timeZone(separator: .omitted))
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
