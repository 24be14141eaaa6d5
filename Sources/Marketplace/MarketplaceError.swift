public import EventLog
public import PosixFiles

/// Everything executing a command can fail with.
public enum MarketplaceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The command was refused by validation or a business rule; nothing was appended.
    case rejected(CommandRejection)
    /// Another command changed a stream this decision read; nothing was appended. Retry: the command is
    /// decided again against the new state.
    case conflict(stream: String, expected: ExpectedVersion, actual: UInt64)
    /// The log failed (I/O, busy, damaged); see the log's error.
    case log(EventLogError)
    /// The decision state (derived, rebuildable) is inconsistent with the events.
    case state(String)
    /// SQLite or the file system failed on the decision state's file (`path`); `cause` keeps SQLite's
    /// codes or the errno. A full disk or a read-only file is not damage: the write was not made,
    /// nothing acknowledged is lost, and the store goes on once there is room or the file is writable.
    case stateFile(path: String, cause: StorageFailure)
    /// A stored event could not be decoded while catching up.
    case undecodableEvent(position: UInt64, reason: String)

    public var description: String {
        switch self {
        case .rejected(let rejection): return rejection.description
        case let .conflict(stream, expected, actual):
            return "conflict on stream '\(stream)': expected \(expected), but it is at version \(actual). "
                + "Another command changed it first; nothing was written. Run the command again to decide on the new state."
        case .log(let error): return error.description
        case .state(let reason):
            return "the decision state failed: \(reason). It is derived from the log: delete the state directory to rebuild it."
        case let .stateFile(path, cause):
            return cause.message("the decision state", path: path,
                                 otherwise: "It is derived from the log: delete the state directory to rebuild it.")
        case let .undecodableEvent(position, reason): return "the event at position \(position) cannot be read: \(reason)"
        }
    }

    init(_ error: EventLogError) {
        if case let .conflict(stream, expected, actual) = error {
            self = .conflict(stream: stream, expected: expected, actual: actual)
        } else {
            self = .log(error)
        }
    }

    /// The rejection, when the command was rejected.
    public var rejection: CommandRejection? {
        if case .rejected(let rejection) = self { return rejection }
        return nil
    }
}
