import Events

/// A row of the decision state, stored as bytes in the state store under `<prefix><id>`.
protocol StateRecord: Sendable {
    static var keyPrefix: String { get }
    init(stateBytes: [UInt8]) throws(StateRecordError)
    var stateBytes: [UInt8] { get }
}

struct StateRecordError: Error {
    var reason: String
}

/// A record written as a flat JSON object (readable with `sqlite3` and a JSON tool), described by its
/// fields as the events are (`PayloadFields`).
protocol FlatStateRecord: StateRecord, FieldListed {
    static var fields: PayloadFields<Self> { get }
}

extension FlatStateRecord {
    init(stateBytes: [UInt8]) throws(StateRecordError) {
        do throws(FlatJSONError) {
            self = try Self.fields.read(stateBytes)
        } catch {
            throw StateRecordError(reason: "a \(Self.keyPrefix) record is unreadable (\(error))")
        }
    }

    var stateBytes: [UInt8] { Self.fields.write(self) }
}

/// An index entry: a key that points to an id (email -> user, token -> invitation, ...).
protocol IndexRecord: StateRecord {
    var value: String { get }
    init(value: String)
}

extension IndexRecord {
    init(stateBytes: [UInt8]) throws(StateRecordError) {
        self.init(value: String(decoding: stateBytes, as: UTF8.self))
    }

    var stateBytes: [UInt8] { Array(value.utf8) }
}

/// Normalized email address -> user id.
struct EmailOwner: IndexRecord {
    static let keyPrefix = "email:"
    var value: String
}

/// `jobId|providerId` -> the interview that is pending or accepted for that pair.
struct OpenInterview: IndexRecord {
    static let keyPrefix = "open-interview:"
    var value: String
}

/// Ids that must never be used twice, of things that have no record of their own in the decision
/// state: `team-invitation:<id>` -> its team (every team invitation ever sent, pending or not: the read
/// models key invitations by id), `message:<id>` -> its thread, `payment:<id>` -> its assignment.
struct ClaimedId: IndexRecord {
    static let keyPrefix = "claimed:"
    var value: String

    static func teamInvitation(_ id: String) -> String { "team-invitation:" + id }
    static func message(_ id: String) -> String { "message:" + id }
    static func payment(_ id: String) -> String { "payment:" + id }
}

/// Command id -> `first-last` positions of its commit (stored as that text; kept as numbers in memory,
/// since every command records one and most are never read back).
struct CommandPositions: StateRecord {
    static let keyPrefix = "command:"
    var first: UInt64
    var last: UInt64

    init(_ positions: ClosedRange<UInt64>) {
        first = positions.lowerBound
        last = positions.upperBound
    }

    init(stateBytes: [UInt8]) throws(StateRecordError) {
        let parts = stateBytes.split(separator: UInt8(ascii: "-"))
        guard parts.count == 2, let first = UInt64(String(decoding: parts[0], as: UTF8.self)),
              let last = UInt64(String(decoding: parts[1], as: UTF8.self)), first <= last else {
            throw StateRecordError(reason: "a command: record is unreadable")
        }
        self.first = first
        self.last = last
    }

    var stateBytes: [UInt8] { Array("\(first)-\(last)".utf8) }

    var positions: ClosedRange<UInt64>? { first...last }
}
