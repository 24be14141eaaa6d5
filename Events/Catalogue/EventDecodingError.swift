import Foundation

/// Why a stored event could not be read as a catalogue event. Names the type and version, never the
/// payload (it may hold personal data).
public enum EventDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The type is not in the catalogue.
    case unknownType(type: String, schemaVersion: UInt16)
    /// The type is known but not this schema version.
    case unsupportedVersion(type: String, schemaVersion: UInt16, current: UInt16)
    /// The payload is not a valid payload of this type and version.
    case invalidPayload(type: String, schemaVersion: UInt16, reason: String)

    public var description: String {
        switch self {
        case let .unknownType(type, version):
            return "unknown event type '\(type)' (schema version \(version)): this build's catalogue does not know it; "
                + "upgrade Teamlog to a version that does."
        case let .unsupportedVersion(type, version, current):
            return "event type '\(type)' has no schema version \(version) (this build reads up to version \(current)); "
                + "upgrade Teamlog to a version that does."
        case let .invalidPayload(type, version, reason):
            return "the payload of a '\(type)' event (schema version \(version)) is invalid: \(reason)."
        }
    }
}

/// `JSONDecoder` with errors mapped to `EventDecodingError` (reasons name fields, never values).
struct Decoding {
    let type: String
    let schemaVersion: UInt16
    let payload: [UInt8]

    func decode<T: Decodable>(_: T.Type) throws(EventDecodingError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(payload))
        } catch let error as DecodingError {
            throw .invalidPayload(type: type, schemaVersion: schemaVersion, reason: Self.reason(error))
        } catch {
            throw .invalidPayload(type: type, schemaVersion: schemaVersion, reason: "not readable JSON")
        }
    }

    func unsupportedVersion(_ current: UInt16) -> EventDecodingError {
        .unsupportedVersion(type: type, schemaVersion: schemaVersion, current: current)
    }

    static func reason(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map(\.stringValue).joined(separator: ".")
        }
        switch error {
        case let .keyNotFound(key, _): return "missing field '\(key.stringValue)'"
        case let .valueNotFound(_, context): return "field '\(path(context))' is null"
        case let .typeMismatch(_, context): return "field '\(path(context))' has the wrong type"
        case let .dataCorrupted(context):
            return context.codingPath.isEmpty ? "not valid JSON" : "field '\(path(context))' has an invalid value"
        @unknown default: return "not decodable"
        }
    }
}
