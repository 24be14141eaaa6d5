import Application
import Testing

/// The ISO-8601 times the tool prints and reads: every printed time reads back as the same microsecond.
@Suite struct TimestampTests {
    @Test(arguments: [Int64(0), 1, 999_999, 1_000_000, 1_714_557_600_250_250, 1_714_557_600_000_001,
                      1_714_557_600_999_999, -1, -999_999, -1_000_001, 253_402_300_799_999_999])
    func aPrintedTimeReadsBackExactly(micros: Int64) {
        #expect(Timestamps.micros(parsing: Timestamps.iso(micros: micros)) == micros)
    }

    @Test func manyPrintedTimesReadBackExactly() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let micros = Int64.random(in: 0...4_102_444_800_000_000, using: &generator)
            #expect(Timestamps.micros(parsing: Timestamps.iso(micros: micros)) == micros, "\(micros)")
        }
    }

    @Test func fractionsZonesAndDates() {
        #expect(Timestamps.micros(parsing: "2024-05-01") == 1_714_521_600_000_000)
        #expect(Timestamps.micros(parsing: "2024-05-01T10:00:00Z") == 1_714_557_600_000_000)
        #expect(Timestamps.micros(parsing: "2024-05-01T10:00:00.25Z") == 1_714_557_600_250_000)
        #expect(Timestamps.micros(parsing: "2024-05-01T10:00:00.000001Z") == 1_714_557_600_000_001)
        // Digits past the microsecond are cut, never rounded up into the next one.
        #expect(Timestamps.micros(parsing: "2024-05-01T10:00:00.000001999Z") == 1_714_557_600_000_001)
        #expect(Timestamps.micros(parsing: "2024-05-01T12:00:00.5+02:00") == 1_714_557_600_500_000)
        #expect(Timestamps.micros(parsing: "2024-05-01T10:00:00.5") == 1_714_557_600_500_000)
    }

    @Test(arguments: ["", "yesterday", "2024-05-01T10:00:00.Z", "2024-05-01T10:00:00.1234567890Z", "2024-05-01.5",
                      "2024-05-01T10:00:00.5.5Z", "2024-13-01"])
    func notATime(text: String) {
        #expect(Timestamps.micros(parsing: text) == nil)
    }
}
