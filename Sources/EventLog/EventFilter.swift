/// Which events a read returns. All conditions must hold; nil means "no condition".
public struct EventFilter: Sendable, Hashable {
    public var streams: Set<String>?
    public var types: Set<String>?
    public var actors: Set<String>?
    /// Only events at or before this position.
    public var untilPosition: UInt64?
    /// Only events recorded at or before this instant (microseconds since the epoch).
    public var untilMicros: Int64?
    /// Only events recorded at or after this instant (microseconds since the epoch).
    public var sinceMicros: Int64?

    public init(streams: Set<String>? = nil, types: Set<String>? = nil, actors: Set<String>? = nil,
                untilPosition: UInt64? = nil, untilMicros: Int64? = nil, sinceMicros: Int64? = nil) {
        self.streams = streams
        self.types = types
        self.actors = actors
        self.untilPosition = untilPosition
        self.untilMicros = untilMicros
        self.sinceMicros = sinceMicros
    }

    public static let all = EventFilter()

    /// True when nothing after `position`/`micros` can match (the log is ordered by both).
    func isExhausted(position: UInt64, micros: Int64) -> Bool {
        if let untilPosition, position > untilPosition { return true }
        if let untilMicros, micros > untilMicros { return true }
        return false
    }

    func matches(stream: String, type: String, actor: String, micros: Int64) -> Bool {
        if let streams, !streams.contains(stream) { return false }
        if let types, !types.contains(type) { return false }
        if let actors, !actors.contains(actor) { return false }
        if let sinceMicros, micros < sinceMicros { return false }
        return true
    }
}
