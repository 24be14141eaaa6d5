/// Turns proposed commits into records: validates them, checks expectations against current stream
/// versions (including commits planned earlier in the same group), assigns positions and versions.
/// Shared by every `EventStore` implementation so that they decide identically.
struct CommitPlanner {
    static let maxNameLength = 1024
    static let maxPayloadLength = 16 << 20
    static let maxEventsPerCommit = 100_000

    enum Outcome {
        case append(CommitRecord, CommitResult)
        case duplicate(CommitResult)
    }

    /// Reads the store's committed state.
    let committedVersion: (String) throws(EventLogError) -> UInt64
    let committedCommand: (String) throws(EventLogError) -> CommitResult?

    private(set) var nextPosition: UInt64
    private(set) var lastMicros: Int64
    private var pendingVersions: [String: UInt64] = [:]
    private var pendingCommands: [String: CommitResult] = [:]

    init(nextPosition: UInt64, lastMicros: Int64,
         committedVersion: @escaping (String) throws(EventLogError) -> UInt64,
         committedCommand: @escaping (String) throws(EventLogError) -> CommitResult?) {
        self.nextPosition = nextPosition
        self.lastMicros = lastMicros
        self.committedVersion = committedVersion
        self.committedCommand = committedCommand
    }

    func version(of stream: String) throws(EventLogError) -> UInt64 {
        if let pending = pendingVersions[stream] { return pending }
        return try committedVersion(stream)
    }

    mutating func plan(_ commit: ProposedCommit, nowMicros: Int64) throws(EventLogError) -> Outcome {
        try Self.validate(commit)
        if let id = commit.commandId {
            if let earlier = pendingCommands[id] { return .duplicate(earlier.markedDuplicate) }
            if let earlier = try committedCommand(id) { return .duplicate(earlier.markedDuplicate) }
        }
        for (stream, expected) in commit.expectations.sorted(by: { $0.key < $1.key }) {
            let actual = try version(of: stream)
            guard expected.isSatisfied(byCurrent: actual) else {
                throw .conflict(stream: stream, expected: expected, actual: actual)
            }
        }
        let micros = max(nowMicros, lastMicros)
        var versions: [String: UInt64] = [:]
        var events: [CommitRecord.Event] = []
        events.reserveCapacity(commit.events.count)
        for event in commit.events {
            let version: UInt64
            if let current = versions[event.stream] { version = current + 1 } else { version = try self.version(of: event.stream) + 1 }
            versions[event.stream] = version
            events.append(.init(stream: event.stream, streamVersion: version, type: event.type,
                                schemaVersion: event.schemaVersion, payload: event.payload))
        }
        let record = CommitRecord(firstPosition: nextPosition, recordedAtMicros: micros, commandId: commit.commandId,
                                  correlationId: commit.correlationId, actor: commit.actor,
                                  principal: commit.principal, events: events)
        let result = CommitResult(firstPosition: record.firstPosition, lastPosition: record.lastPosition,
                                  streamVersions: versions, recordedAtMicros: micros, isDuplicate: false)
        nextPosition = record.lastPosition + 1
        lastMicros = micros
        pendingVersions.merge(versions) { _, new in new }
        if let id = commit.commandId { pendingCommands[id] = result }
        return .append(record, result)
    }

    /// Plans each commit in order: `append` receives those to write; the results say, per commit,
    /// what it got (its positions, a duplicate's first result, or why it was refused).
    mutating func planEach(_ commits: [ProposedCommit], nowMicros: Int64,
                           append: (CommitRecord, CommitResult) -> Void) -> [Result<CommitResult, EventLogError>] {
        commits.map { commit in
            do throws(EventLogError) {
                switch try plan(commit, nowMicros: nowMicros) {
                case .duplicate(let result):
                    return .success(result)
                case .append(let record, let result):
                    append(record, result)
                    return .success(result)
                }
            } catch {
                return .failure(error)
            }
        }
    }

    static func validate(_ commit: ProposedCommit) throws(EventLogError) {
        guard !commit.events.isEmpty else { throw .invalidCommit("a commit needs at least one event") }
        guard commit.events.count <= maxEventsPerCommit else {
            throw .invalidCommit("\(commit.events.count) events in one commit; the limit is \(maxEventsPerCommit)")
        }
        try checkName(commit.actor, "actor", allowEmpty: false)
        if let principal = commit.principal { try checkName(principal, "principal", allowEmpty: false) }
        if let id = commit.commandId { try checkName(id, "command id", allowEmpty: false) }
        if let id = commit.correlationId { try checkName(id, "correlation id", allowEmpty: false) }
        for stream in commit.expectations.keys { try checkName(stream, "stream name", allowEmpty: false) }
        for event in commit.events {
            try checkName(event.stream, "stream name", allowEmpty: false)
            try checkName(event.type, "event type", allowEmpty: false)
            guard event.payload.count <= maxPayloadLength else {
                throw .invalidCommit("a payload of \(event.payload.count) bytes exceeds the limit of \(maxPayloadLength)")
            }
        }
    }

    private static func checkName(_ value: String, _ what: String, allowEmpty: Bool) throws(EventLogError) {
        let count = value.utf8.count
        if count == 0, !allowEmpty { throw .invalidCommit("the \(what) is empty") }
        guard count <= maxNameLength else { throw .invalidCommit("the \(what) is \(count) bytes long; the limit is \(maxNameLength)") }
    }
}

extension CommitResult {
    var markedDuplicate: CommitResult {
        var copy = self
        copy.isDuplicate = true
        return copy
    }

    init(record: CommitRecord, isDuplicate: Bool) {
        var versions: [String: UInt64] = [:]
        for event in record.events { versions[event.stream] = event.streamVersion }
        self.init(firstPosition: record.firstPosition, lastPosition: record.lastPosition, streamVersions: versions,
                  recordedAtMicros: record.recordedAtMicros, isDuplicate: isDuplicate)
    }
}

extension CommitRecord {
    func recordedEvents(storeId: StoreID) -> [RecordedEvent] {
        events.enumerated().map { index, event in
            RecordedEvent(position: firstPosition + UInt64(index), stream: event.stream, streamVersion: event.streamVersion,
                          type: event.type, schemaVersion: event.schemaVersion, recordedAtMicros: recordedAtMicros,
                          commandId: commandId, correlationId: correlationId, actor: actor, principal: principal,
                          commitPosition: firstPosition, payload: event.payload, storeId: storeId)
        }
    }
}
