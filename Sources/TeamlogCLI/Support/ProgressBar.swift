import Foundation

/// A progress bar on standard error with rate and ETA, drawn only when standard error is a terminal
/// (silent in a pipe or a file). Thread-safe; redraws at most ten times a second.
final class ProgressBar: @unchecked Sendable {
    private let label: String
    private let unit: String
    private let enabled: Bool
    private let lock = NSLock()
    private let started = Date()
    private var lastDraw = Date.distantPast
    private var drawn = false

    init(_ label: String, unit: String = "events", enabled: Bool = StandardStreams.stderrIsTerminal) {
        self.label = label
        self.unit = unit
        self.enabled = enabled
    }

    /// Reports `done` of `total` units (total 0 when unknown); `rateDone` counts what the rate is of.
    func update(done: UInt64, total: UInt64, rateDone: UInt64? = nil) {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        let elapsed = max(now.timeIntervalSince(started), 0.001)
        let rate = Double(rateDone ?? done) / elapsed
        var text = "\r\(label) "
        if total > 0 {
            let fraction = min(1, Double(done) / Double(total))
            let width = 24
            let filled = Int(fraction * Double(width))
            text += "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "] "
            text += String(format: "%3.0f%% ", fraction * 100)
            let remaining = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0
            text += "\(Self.count(Double(rateDone ?? done))) \(unit)  \(Self.count(rate))/s  ETA \(Self.duration(remaining))"
        } else {
            text += "\(Self.count(Double(rateDone ?? done))) \(unit)  \(Self.count(rate))/s"
        }
        FileHandle.standardError.write(Data((text + "\u{1B}[K").utf8))
        drawn = true
    }

    /// Clears the bar's line.
    func finish() {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        if drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        drawn = false
    }

    static func count(_ value: Double) -> String {
        switch value {
        case 1_000_000...: return String(format: "%.1fM", value / 1_000_000)
        case 10_000...: return String(format: "%.0fk", value / 1_000)
        default: return String(format: "%.0f", value)
        }
    }

    static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded())
        return whole >= 60 ? "\(whole / 60)m\(String(format: "%02d", whole % 60))s" : "\(whole)s"
    }
}
