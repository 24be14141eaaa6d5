/// What a commit expects of a stream's current version before it appends to it.
///
/// Stream versions start at 1 for a stream's first event; a stream with no events has version 0.
public enum ExpectedVersion: Sendable, Hashable, CustomStringConvertible {
    /// No check: append whatever the stream's version.
    case any
    /// The stream must not exist yet (version 0).
    case noStream
    /// The stream must exist (version 1 or more).
    case streamExists
    /// The stream must be exactly at this version (0 means "no stream yet").
    case exactly(UInt64)

    func isSatisfied(byCurrent version: UInt64) -> Bool {
        switch self {
        case .any: return true
        case .noStream: return version == 0
        case .streamExists: return version > 0
        case .exactly(let expected): return version == expected
        }
    }

    public var description: String {
        switch self {
        case .any: return "any"
        case .noStream: return "no stream"
        case .streamExists: return "an existing stream"
        case .exactly(let version): return "version \(version)"
        }
    }
}
