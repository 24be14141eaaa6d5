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
    public static func micros(parsing text: String) -> Int64? {
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
