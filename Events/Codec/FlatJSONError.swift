/// Why the fast reader could not read a payload. Never holds payload bytes (they may be personal data):
/// only field names and byte offsets.
public struct FlatJSONError: Error, Sendable, Hashable, CustomStringConvertible {
    public var reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { reason }

    static func syntax(_ what: String, at offset: Int) -> FlatJSONError {
        FlatJSONError("\(what) at byte \(offset)")
    }

    @usableFromInline static func missing(_ field: StaticString) -> FlatJSONError {
        FlatJSONError("missing field '\(field)'")
    }

    static func wrongType(_ field: StaticString, expected: String) -> FlatJSONError {
        FlatJSONError("field '\(field)' is not \(expected)")
    }
}
