public import Foundation

/// One event as it lies in the read buffer, without copying it: the envelope's numbers, the stream
/// name and payload as borrowed bytes. Valid only during the call it is passed to (`LogCursor.scan`);
/// `recordedEvent()` makes an owned copy.
public struct EventView {
    public let position: UInt64
    /// The stream name's UTF-8 bytes.
    public let streamBytes: UnsafeRawBufferPointer
    public let streamVersion: UInt64
    public let type: String
    public let schemaVersion: UInt16
    public let recordedAtMicros: Int64
    /// The causing command's id bytes (empty when the commit carried none).
    public let commandIdBytes: UnsafeRawBufferPointer
    public let correlationIdBytes: UnsafeRawBufferPointer
    public let actor: String
    /// Who sent the command on the actor's behalf, when someone else did.
    public let principal: String?
    public let commitPosition: UInt64
    /// The payload's bytes.
    public let payload: UnsafeRawBufferPointer
    let storeId: StoreID

    /// The event's globally unique id (as `RecordedEvent.eventId`).
    public var eventId: UUID { storeId.eventId(at: position) }

    /// The stream name (a new String).
    public var stream: String { String(decoding: streamBytes, as: UTF8.self) }
    /// The command that caused the event (causation id), when the commit carried one (a new String).
    public var commandId: String? { Self.optionalString(commandIdBytes) }
    public var correlationId: String? { Self.optionalString(correlationIdBytes) }

    static func optionalString(_ bytes: UnsafeRawBufferPointer) -> String? {
        bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self)
    }

    /// An owned copy of the event.
    public func recordedEvent() -> RecordedEvent {
        recordedEvent(commandId: commandId, correlationId: correlationId)
    }

    /// An owned copy with the ids already made (once per commit, by the cursor).
    func recordedEvent(commandId: String?, correlationId: String?) -> RecordedEvent {
        RecordedEvent(position: position, stream: stream, streamVersion: streamVersion, type: type,
                      schemaVersion: schemaVersion, recordedAtMicros: recordedAtMicros, commandId: commandId,
                      correlationId: correlationId, actor: actor, principal: principal, commitPosition: commitPosition,
                      payload: Array(payload), storeId: storeId)
    }
}
