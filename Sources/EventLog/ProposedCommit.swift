import Foundation

/// An event to append: the log treats the payload as opaque bytes.
public struct ProposedEvent: Sendable, Hashable {
    public var stream: String
    public var type: String
    public var schemaVersion: UInt16
    public var payload: [UInt8]

    public init(stream: String, type: String, schemaVersion: UInt16 = 1, payload: [UInt8]) {
        self.stream = stream
        self.type = type
        self.schemaVersion = schemaVersion
        self.payload = payload
    }
}

/// A set of events committed all or nothing, possibly across several streams.
public struct ProposedCommit: Sendable, Hashable {
    public var events: [ProposedEvent]
    /// Per-stream version checks; streams not named here are appended to whatever their version.
    public var expectations: [String: ExpectedVersion]
    /// Idempotency key: a commit whose command id is already in the log appends nothing and
    /// returns the first commit's result.
    public var commandId: String?
    /// Groups commits caused by one user action (defaults to the command id when absent).
    public var correlationId: String?
    /// Who issued the command (a user id, "system", an operator's name).
    public var actor: String
    /// Who sent it on the actor's behalf, when someone else did (an operator's API key id): recorded
    /// beside the actor (a commit record of kind 2).
    public var principal: String?

    public init(
        events: [ProposedEvent],
        expectations: [String: ExpectedVersion] = [:],
        commandId: String? = nil,
        correlationId: String? = nil,
        actor: String,
        principal: String? = nil
    ) {
        self.events = events
        self.expectations = expectations
        self.commandId = commandId
        self.correlationId = correlationId
        self.actor = actor
        self.principal = principal
    }
}

/// What an acknowledged commit got: its positions and the new version of each stream it touched.
public struct CommitResult: Sendable, Hashable {
    /// Position of the commit's first event.
    public var firstPosition: UInt64
    /// Position of the commit's last event.
    public var lastPosition: UInt64
    /// Each touched stream's version after the commit.
    public var streamVersions: [String: UInt64]
    /// When the commit was recorded, in microseconds since 1970-01-01T00:00:00Z.
    public var recordedAtMicros: Int64
    /// True when the command id had been committed before: nothing was appended this time.
    public var isDuplicate: Bool

    public init(firstPosition: UInt64, lastPosition: UInt64, streamVersions: [String: UInt64],
                recordedAtMicros: Int64, isDuplicate: Bool) {
        self.firstPosition = firstPosition
        self.lastPosition = lastPosition
        self.streamVersions = streamVersions
        self.recordedAtMicros = recordedAtMicros
        self.isDuplicate = isDuplicate
    }

    public var positions: ClosedRange<UInt64> { firstPosition...lastPosition }
}
