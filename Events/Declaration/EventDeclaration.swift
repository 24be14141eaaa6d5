import Foundation

/// Everything the catalogue knows of one event type, in one place: its persisted name, its current
/// version and fields, the older versions it still reads (each with its upcaster), the stream it
/// belongs to, and the case of `MarketplaceEvent` that carries it. The reader, the writer, the
/// catalogue's entry and the documentation follow from it.
///
/// The fields are the event's stored properties, each under its name, in sorted key order
/// (`payloadFields`, generated from Events/catalogue.json beside the memberwise `init`):
///
/// ```swift
/// public static let declaration = EventDeclaration<InviteAccepted>(
///     "InviteAccepted", version: 1, case: MarketplaceEvent.inviteAccepted, stream: (.invitation, \.invitationId))
/// ```
public struct EventDeclaration<Event: EventPayload>: @unchecked Sendable {
    // Unchecked: immutable once made (key paths and closures).
    /// The persisted type name; never changes once shipped.
    public let type: String
    /// The version this build writes.
    public let version: UInt16
    public let fields: PayloadFields<Event>
    let streamKind: StreamKind
    let streamKey: KeyPath<Event, String>
    let wrap: (Event) -> MarketplaceEvent
    let olderVersions: [OlderVersion<Event>]

    public init(
        _ type: String, version: UInt16, case wrap: @escaping (Event) -> MarketplaceEvent,
        stream: (kind: StreamKind, key: KeyPath<Event, String>),
        upcasting olderVersions: [OlderVersion<Event>] = []
    ) {
        self.type = type
        self.version = version
        self.wrap = wrap
        streamKind = stream.kind
        streamKey = stream.key
        fields = PayloadFields(Event.payloadFields)
        self.olderVersions = olderVersions
    }

    /// The stream `event` belongs to.
    func stream(of event: Event) -> String { streamKind.name(event[keyPath: streamKey]) }

    /// Every version this build reads, oldest first.
    public var readableVersions: [UInt16] { (olderVersions.map(\.version) + [version]).sorted() }

    /// Reads a payload of any readable version with `JSONDecoder` (the reference), upcasting an older one.
    func foundationRead(_ decoding: Decoding) throws(EventDecodingError) -> Event {
        if decoding.schemaVersion == version { return try decoding.decode(Event.self) }
        for older in olderVersions where older.version == decoding.schemaVersion { return try older.foundationRead(decoding) }
        throw decoding.unsupportedVersion(version)
    }

    /// The catalogue's entry for this type.
    var entry: EventCatalogue.Entry {
        EventCatalogue.Entry(
            type: type, currentVersion: version, readableVersions: readableVersions,
            stream: streamKind.rawValue + "-<" + (fields.fields.first { $0.path == streamKey }?.name ?? "?") + ">",
            fields: fields.fields.map(EventCatalogue.FieldEntry.init),
            olderFields: olderVersions.map { ($0.version, $0.fields) },
            foundationDecode: { decoding throws(EventDecodingError) in wrap(try foundationRead(decoding)) })
    }
}

/// An older version of an event type that is still in logs: its fields, and the upcaster that turns
/// it into the current version (compose upcasters for a chain: `{ $0.upcast().upcast() }`).
public struct OlderVersion<Event>: @unchecked Sendable {
    // Unchecked: immutable once made (closures).
    public let version: UInt16
    let fields: [EventCatalogue.FieldEntry]
    let foundationRead: (Decoding) throws(EventDecodingError) -> Event

    public init<Old: EventPayloadVersion>(_ version: UInt16, _ fields: PayloadFields<Old>, upcast: @escaping (Old) -> Event) {
        self.version = version
        self.fields = fields.fields.map(EventCatalogue.FieldEntry.init)
        foundationRead = { decoding throws(EventDecodingError) in upcast(try decoding.decode(Old.self)) }
    }
}
