public import EventLog
public import Events

/// What a command decided: the events to append and what it expects of each stream it read.
public struct Decision: Sendable, Hashable {
    public var events: [MarketplaceEvent] = []
    public var expectations: [String: ExpectedVersion] = [:]

    public init(events: [MarketplaceEvent] = [], expectations: [String: ExpectedVersion] = [:]) {
        self.events = events
        self.expectations = expectations
    }

    /// A decision of one event, expecting the event's own stream as the command found it.
    init(_ payload: some EventPayload, expectingItsStream expected: ExpectedVersion) {
        self.init()
        add(payload)
        expect(payload.stream, expected)
    }

    /// A decision of one event, expecting the event's own stream at a record's version (0: no stream yet).
    init(_ payload: some EventPayload, expectingItsStreamAt version: Int) {
        self.init()
        add(payload)
        expect(payload.stream, version: version)
    }

    mutating func add(_ payload: some EventPayload) {
        events.append(payload.event)
    }

    mutating func expect(_ stream: String, _ expected: ExpectedVersion) {
        expectations[stream] = expected
    }

    /// Expects a stream to be at a record's version (0: no stream yet).
    mutating func expect(_ stream: String, version: Int) {
        expectations[stream] = version == 0 ? .noStream : .exactly(UInt64(version))
    }

    /// The events as the log's proposed events (deterministic JSON payloads).
    func proposedEvents() -> [ProposedEvent] {
        events.map { event in
            ProposedEvent(stream: event.stream, type: event.eventType, schemaVersion: event.schemaVersion, payload: event.encodedPayload())
        }
    }
}
