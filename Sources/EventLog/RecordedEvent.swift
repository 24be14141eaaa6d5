public import Foundation

/// An event as stored: its envelope and its payload bytes.
public struct RecordedEvent: Sendable, Hashable {
    /// Dense global position: 1, 2, 3, …
    public var position: UInt64
    public var stream: String
    /// The event's version in its stream: 1 for the stream's first event.
    public var streamVersion: UInt64
    public var type: String
    public var schemaVersion: UInt16
    /// When its commit was recorded, in microseconds since 1970-01-01T00:00:00Z (non-decreasing with position).
    public var recordedAtMicros: Int64
    /// The command that caused it (causation id), when the commit carried one.
    public var commandId: String?
    public var correlationId: String?
    public var actor: String
    /// Who sent the command on the actor's behalf (an operator's key id), when someone else did.
    public var principal: String?
    /// Position of the first event of this event's commit.
    public var commitPosition: UInt64
    public var payload: [UInt8]
    /// The store's identity, from which the event id is derived.
    public var storeId: StoreID

    public init(position: UInt64, stream: String, streamVersion: UInt64, type: String, schemaVersion: UInt16,
                recordedAtMicros: Int64, commandId: String?, correlationId: String?, actor: String,
                principal: String? = nil, commitPosition: UInt64, payload: [UInt8], storeId: StoreID) {
        self.position = position
        self.stream = stream
        self.streamVersion = streamVersion
        self.type = type
        self.schemaVersion = schemaVersion
        self.recordedAtMicros = recordedAtMicros
        self.commandId = commandId
        self.correlationId = correlationId
        self.actor = actor
        self.principal = principal
        self.commitPosition = commitPosition
        self.payload = payload
        self.storeId = storeId
    }

    /// A globally unique event id: the store id's first 8 bytes followed by the position (big-endian),
    /// with the UUID version nibble set to 8 and the variant bits to RFC 4122.
    public var eventId: UUID { storeId.eventId(at: position) }

    public var recordedAt: Date { Date(timeIntervalSince1970: Double(recordedAtMicros) / 1_000_000) }
}

/// A store's random identity, written once when the store is created.
public struct StoreID: Sendable, Hashable, CustomStringConvertible {
    private let high: UInt64
    private let low: UInt64

    public init(bytes: [UInt8]) {
        precondition(bytes.count == 16, "a store id has 16 bytes")
        high = bytes[0..<8].reduce(0) { $0 << 8 | UInt64($1) }
        low = bytes[8..<16].reduce(0) { $0 << 8 | UInt64($1) }
    }

    public var bytes: [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: high >> (56 - 8 * UInt64($0))) }
            + (0..<8).map { UInt8(truncatingIfNeeded: low >> (56 - 8 * UInt64($0))) }
    }

    public static func random() -> StoreID {
        var generator = SystemRandomNumberGenerator()
        return StoreID(bytes: (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    public func eventId(at position: UInt64) -> UUID {
        var b = Array(bytes[0..<8])
        for shift in stride(from: 56, through: 0, by: -8) { b.append(UInt8(truncatingIfNeeded: position >> UInt64(shift))) }
        b[6] = (b[6] & 0x0F) | 0x80
        b[8] = (b[8] & 0x3F) | 0x80
        return UUID(uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]))
    }

    public var description: String { bytes.map { String(format: "%02x", $0) }.joined() }
}
