public import EventLog
import Foundation

/// One recorded event as a JSON object, as `teamlog log --format jsonl` prints it and the server's
/// `/v1/log` and `/v1/events` send it. Address streams (`email-<address>`) are masked and the payload
/// (personal data) left out unless `showPayload`.
public enum EventJSON {
    public static func object(_ event: RecordedEvent, showPayload: Bool) -> String {
        var pairs: [(String, String)] = [
            ("position", String(event.position)),
            ("stream", JSONText.string(stream(event, showPayload: showPayload))),
            ("version", String(event.streamVersion)),
            ("type", JSONText.string(event.type)),
            ("schemaVersion", String(event.schemaVersion)),
            ("recordedAt", JSONText.string(Timestamps.iso(micros: event.recordedAtMicros))),
            ("recordedAtMicros", String(event.recordedAtMicros)),
            ("actor", JSONText.string(event.actor)),
        ]
        if let principal = event.principal { pairs.append(("principal", JSONText.string(principal))) }
        pairs += [
            ("eventId", JSONText.string(lowercased(event.eventId))),
            ("commitPosition", String(event.commitPosition)),
        ]
        if let commandId = event.commandId { pairs.append(("commandId", JSONText.string(commandId))) }
        if let correlationId = event.correlationId { pairs.append(("correlationId", JSONText.string(correlationId))) }
        if showPayload { pairs.append(("payload", payloadJSON(event.payload))) }
        return JSONText.object(pairs)
    }

    /// The stream's name; an address stream (`email-<address>`) is masked unless payloads are shown.
    public static func stream(_ event: RecordedEvent, showPayload: Bool) -> String {
        guard !showPayload, event.stream.hasPrefix("email-") else { return event.stream }
        return "email-(hidden)"
    }

    /// `8-4-4-4-12` lowercase hex, written directly (`uuidString.lowercased()` costs two strings per event).
    static func lowercased(_ id: UUID) -> String {
        let hex = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(36)
        withUnsafeBytes(of: id.uuid) { bytes in
            for (index, byte) in bytes.enumerated() {
                if index == 4 || index == 6 || index == 8 || index == 10 { out.append(UInt8(ascii: "-")) }
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The payload as stored (a JSON object), or as a string when it is not one.
    private static func payloadJSON(_ payload: [UInt8]) -> String {
        let text = String(decoding: payload, as: UTF8.self)
        return text.hasPrefix("{") && text.hasSuffix("}") ? text : JSONText.string(text)
    }
}
