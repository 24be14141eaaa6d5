import Foundation
import PosixFiles

/// What `EventLog.recover` found in a store and what it did (or, without `acceptLoss`, would do).
public struct RecoveryOutcome: Sendable {
    /// The log's last sound commit: everything up to it reads and checks.
    public var held: LogHead
    /// The first damage a full read met, if any (everything after it is unreadable).
    public var damage: EventLogError?
    /// Acknowledged positions that the log does not hold, per the store's evidence.
    public var loss: AcknowledgedLoss?
    /// What is (or would be) cut: one line per segment rewritten or removed.
    public var cuts: [String]
    /// What cannot be known, or what the evidence said.
    public var notes: [String]
    /// Whether the loss was accepted: the log was cut and the loss recorded in it.
    public var accepted: Bool
    /// The position of the loss record appended to the log, when accepted.
    public var lossRecordPosition: UInt64?

    /// True when nothing acknowledged is missing and nothing is damaged.
    public var isIntact: Bool { damage == nil && loss == nil }
}

/// The log-level record of an accepted loss: an event in the reserved stream `$log`, so that the
/// history itself shows that positions were lost and re-used, when, by whom and why.
public enum LogLossRecord {
    public static let stream = "$log"
    public static let eventType = "$AcknowledgedLossAccepted"
}

extension EventLog {
    /// Checks the whole log against the store's evidence of what was acknowledged (and against
    /// `claims` the caller has, such as read models' checkpoints), and settles what it finds:
    /// - nothing lost, nothing damaged: records the log's end as acknowledged (for a store whose
    ///   record of it was lost, or made by an earlier Teamlog) and returns;
    /// - loss or damage, without `acceptLoss`: changes nothing and returns what it would cut;
    /// - with `acceptLoss`: cuts the log after its last sound commit (rewriting the segment that
    ///   holds it, removing the later ones), rebuilds the derived files, and appends a
    ///   `$AcknowledgedLossAccepted` event to the stream `$log` that names what was lost.
    public static func recover(directory: String, acceptLoss: Bool, reason: String, actor: String,
                               claims: [(source: String, position: UInt64)] = [],
                               options: EventLogOptions = EventLogOptions()) throws(EventLogError) -> RecoveryOutcome {
        let layout = StoreLayout(root: directory)
        guard isStoreDirectory(layout) else { throw .notAStore(path: directory, reason: "it has no store.id and no segment") }
        let lock = try WriteLock.acquire(directory: layout.root, pidFile: layout.lockFile, timeout: options.lockTimeout)
        var outcome: RecoveryOutcome
        let storeId: StoreID
        let plan: CutPlan
        do throws(EventLogError) {
            storeId = try readStoreId(layout: layout)
            (outcome, plan) = try survey(layout: layout, storeId: storeId, claims: claims)
            if !outcome.isIntact {
                guard acceptLoss else {
                    lock.release()
                    return outcome
                }
                try plan.execute(layout: layout, storeId: storeId)
            }
        } catch {
            lock.release()
            throw error
        }
        lock.release()
        // The cut log's end is now what the store acknowledges; the writer rebuilds the derived files.
        let log = try open(directory: directory, options: options, confirmingEnd: true)
        defer { log.close() }
        if !outcome.isIntact {
            let record = ProposedEvent(stream: LogLossRecord.stream, type: LogLossRecord.eventType,
                                       payload: lossPayload(outcome, reason: reason))
            let result = try log.append(ProposedCommit(events: [record], actor: actor))
            outcome.accepted = true
            outcome.lossRecordPosition = result.firstPosition
        }
        return outcome
    }

    private static func isStoreDirectory(_ layout: StoreLayout) -> Bool {
        PosixFile.exists(layout.storeIdFile) || PosixFile.exists(layout.logDirectory)
    }

    /// What to cut: the segment holding the last sound commit is rewritten to end there; later
    /// segments are removed.
    struct CutPlan {
        var rewrite: (segment: SegmentName, keepingThrough: UInt64)?
        var remove: [SegmentName]

        func execute(layout: StoreLayout, storeId: StoreID) throws(EventLogError) {
            if let rewrite {
                try Repacker(layout: layout, storeId: storeId, frameTargetBytes: EventLogOptions().frameTargetBytes)
                    .repack(segment: rewrite.segment, keepingThrough: rewrite.keepingThrough)
            }
            for segment in remove.reversed() { try? PosixFile.remove(layout.segmentPath(segment.fileName)) }
            // Derived from the log as it was: rebuilt from the cut log when it is next opened.
            for path in [layout.frameIndexFile, layout.streamsTableFile, layout.commandsTableFile] { try? PosixFile.remove(path) }
            for name in (try? PosixFile.listDirectory(layout.auditIndexDirectory)) ?? [] {
                try? PosixFile.remove(layout.auditIndexDirectory + "/" + name)
            }
            try PosixFile.syncDirectory(layout.logDirectory)
            try PosixFile.syncDirectory(layout.indexDirectory)
        }
    }

    /// Reads the whole log up to its first damage and compares it with every record of what was
    /// acknowledged.
    private static func survey(layout: StoreLayout, storeId: StoreID,
                               claims: [(source: String, position: UInt64)]) throws(EventLogError) -> (RecoveryOutcome, CutPlan) {
        let loadedIndex = try? FrameIndex.load(layout.frameIndexFile)
        let evidence = AcknowledgedEvidence.gather(layout: layout, storeId: storeId, index: loadedIndex ?? nil)
        let segments = try layout.segments()
        var held = LogHead.empty
        var heldSegment: Int?
        var chainAtAcknowledged: [UInt8]? = evidence.acknowledged?.position == 0 ? HashChain.genesis : nil
        var damage: EventLogError?
        var damagedSegment: Int?
        var notes: [String] = []
        var endOffset: UInt64 = 0
        for (at, name) in segments.enumerated() {
            do throws(EventLogError) {
                let file = try PosixFile.openForReading(layout.segmentPath(name.fileName))
                let size = try file.size()
                if size < UInt64(SegmentHeader.encodedLength), at == segments.count - 1, name.firstPosition == held.position + 1 {
                    notes.append("segment \(name.fileName) holds no whole header (a seal interrupted by a crash); it is rewritten")
                    damagedSegment = at
                    break
                }
                var scanner = SegmentScanner(file: file, segment: name)
                scanner.checkContentChecksums = true
                let header = try scanner.header(expectedStoreId: storeId)
                guard header.firstPosition == held.position + 1 else {
                    throw EventLogError.corrupt(LogLocation(segment: name.fileName, fileOffset: 0, position: held.position + 1),
                                                reason: "a segment is missing: this one starts at position \(header.firstPosition)")
                }
                guard header.chainBefore == held.hash else {
                    throw EventLogError.corrupt(LogLocation(segment: name.fileName, fileOffset: 0, position: held.position + 1),
                                                reason: "the hash chain does not continue from the previous segment")
                }
                heldSegment = at
                let acknowledgedPosition = evidence.acknowledged?.position
                let result = try scanner.scan(from: .init(offset: UInt64(SegmentHeader.encodedLength), position: held.position + 1,
                                                          chain: HashChain(value: held.hash), commits: held.commits),
                                              committed: { last, chain in
                    held = LogHead(position: last, commits: held.commits + 1, hash: chain.value)
                    if last == acknowledgedPosition { chainAtAcknowledged = chain.value }
                })
                endOffset = size
                switch result.ending {
                case .frameBoundary, .openFrame:
                    break
                case let .torn(clean, _, bytes, commits):
                    endOffset = clean
                    if at == segments.count - 1 {
                        notes.append("\(bytes) bytes after the last whole commit (\(commits) partial commit(s)) end segment \(name.fileName) from byte \(clean); they are cut")
                    } else {
                        throw EventLogError.corrupt(LogLocation(segment: name.fileName, fileOffset: clean, position: held.position + 1),
                                                    reason: "a sealed segment ends in the middle of a write (truncated?)")
                    }
                }
            } catch {
                damage = error
                damagedSegment = at
                break
            }
        }
        let heldName = heldSegment.map { segments[$0].fileName } ?? StoreLayout.segmentName(firstPosition: 1)
        var loss: AcknowledgedLoss?
        var furthest = evidence.furthestClaim()
        for claim in claims where claim.position > furthest.position { furthest = (claim.position, claim.source, nil) }
        if furthest.position > held.position {
            loss = AcknowledgedLoss(segment: heldName, fileOffset: endOffset, logPosition: held.position,
                                    acknowledgedPosition: furthest.position,
                                    commitsMissing: furthest.commits.map { $0 > held.commits ? $0 - held.commits : 0 },
                                    evidence: furthest.source)
        }
        if let acknowledged = evidence.acknowledged, acknowledged.position <= held.position, damage == nil,
           chainAtAcknowledged != acknowledged.hash {
            throw .corrupt(LogLocation(segment: heldName, fileOffset: 0, position: acknowledged.position),
                           reason: "the log holds another commit at the acknowledged position \(acknowledged.position) than the one "
                           + "acknowledged (its hash chain value differs): it was rewritten, and cutting cannot tell where. Restore "
                           + "the store from a backup")
        }
        if let reason = evidence.unconfirmedReason {
            notes.append("the record of the last acknowledged commit (\(layout.acknowledgedFile)) cannot be used (\(reason)): "
                + "whether commits after position \(held.position) were acknowledged can be known only from the other records "
                + "(the sparse index, the stream and command tables, the read models' and the decision state's checkpoints)"
                + (loss == nil ? ", and none of them reaches past the log" : ""))
        }
        var plan = CutPlan(rewrite: nil, remove: [])
        var cuts: [String] = []
        if let damagedSegment {
            let first = damagedSegment
            if let heldSegment, heldSegment == first {
                plan.rewrite = (segments[first], held.position)
                cuts.append("segment \(segments[first].fileName) is rewritten to end at position \(held.position); "
                    + "whatever follows in it is cut")
            } else {
                plan.remove.append(segments[first])
                cuts.append("segment \(segments[first].fileName) is removed (it was to start at position \(segments[first].firstPosition))")
            }
            for later in segments[(first + 1)...] {
                plan.remove.append(later)
                cuts.append("segment \(later.fileName) is removed (it starts at position \(later.firstPosition))")
            }
        }
        if damage != nil, loss == nil {
            // Damage with no record reaching past it: what follows it is lost all the same.
            let after = segments.last.map { max($0.firstPosition, held.position + 1) } ?? held.position + 1
            loss = AcknowledgedLoss(segment: heldName, fileOffset: endOffset, logPosition: held.position,
                                    acknowledgedPosition: max(after, held.position + 1), commitsMissing: nil,
                                    evidence: "the damaged log itself (what follows the damage cannot be read)")
        }
        if let damage { notes.insert("damage: \(damage)", at: 0) }
        let outcome = RecoveryOutcome(held: held, damage: damage, loss: loss, cuts: cuts, notes: notes, accepted: false,
                                      lossRecordPosition: nil)
        return (outcome, plan)
    }

    /// The loss record's payload: JSON, like every event's, with no personal data.
    private static func lossPayload(_ outcome: RecoveryOutcome, reason: String) -> [UInt8] {
        func quoted(_ text: String) -> String {
            var out = "\""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                default:
                    if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
                }
            }
            return out + "\""
        }
        var fields: [String] = []
        fields.append("\"heldThrough\":\(outcome.held.position)")
        fields.append("\"heldHeadHash\":\(quoted(outcome.held.hashHex))")
        if let loss = outcome.loss {
            fields.append("\"lostFrom\":\(loss.logPosition + 1)")
            fields.append("\"lostThrough\":\(loss.acknowledgedPosition)")
            fields.append("\"acknowledgedCommitsLost\":\(loss.commitsMissing.map(String.init) ?? "null")")
            fields.append("\"evidence\":\(quoted(loss.evidence))")
        }
        fields.append("\"damage\":\(outcome.damage.map { quoted("\($0)") } ?? "null")")
        fields.append("\"cuts\":[\(outcome.cuts.map(quoted).joined(separator: ","))]")
        fields.append("\"reason\":\(quoted(reason))")
        return Array(("{" + fields.joined(separator: ",") + "}").utf8)
    }
}
