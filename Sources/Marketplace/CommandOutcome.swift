public import Events

/// What an executed command did.
public struct CommandOutcome: Sendable, Hashable {
    public var commandId: String?
    /// The events appended (empty when the command id had already been applied).
    public var events: [MarketplaceEvent]
    /// The positions of the command's commit (the first commit's, for a duplicate).
    public var positions: ClosedRange<UInt64>
    /// True when the command id had been applied before: nothing was appended this time.
    public var isDuplicate: Bool

    public init(commandId: String?, events: [MarketplaceEvent], positions: ClosedRange<UInt64>, isDuplicate: Bool) {
        self.commandId = commandId
        self.events = events
        self.positions = positions
        self.isDuplicate = isDuplicate
    }
}

/// A command decided but not yet appended (`Marketplace.prepare`), for callers that separate the two.
public struct PreparedCommand: Sendable, Hashable {
    public var envelope: CommandEnvelope
    public var decision: Decision
    /// The log position the decision was made at.
    public var decidedAt: UInt64
}
