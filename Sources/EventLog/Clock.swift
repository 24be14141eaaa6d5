import Foundation

/// The wall clock, in microseconds since 1970-01-01T00:00:00Z.
public enum WallClock {
    public static func nowMicros() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1_000_000 + Int64(spec.tv_nsec) / 1_000
    }
}
