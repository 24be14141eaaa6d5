import Foundation

/// What lost acknowledged commits look like: the log ends before a point that the store's own
/// records show was acknowledged.
public struct AcknowledgedLoss: Sendable, Hashable, CustomStringConvertible {
    /// The segment in which the log's whole commits now end, and the byte offset where they end.
    public var segment: String
    public var fileOffset: UInt64
    /// The last position the log holds.
    public var logPosition: UInt64
    /// The last position the evidence shows was acknowledged.
    public var acknowledgedPosition: UInt64
    /// How many acknowledged commits are missing, when the evidence counts them.
    public var commitsMissing: UInt64?
    /// Which file says so (`acknowledged`, `index/frames.idx`, `index/streams.tbl`, …).
    public var evidence: String

    public var positionsMissing: ClosedRange<UInt64> { (logPosition + 1)...acknowledgedPosition }

    public init(segment: String, fileOffset: UInt64, logPosition: UInt64, acknowledgedPosition: UInt64,
                commitsMissing: UInt64?, evidence: String) {
        self.segment = segment
        self.fileOffset = fileOffset
        self.logPosition = logPosition
        self.acknowledgedPosition = acknowledgedPosition
        self.commitsMissing = commitsMissing
        self.evidence = evidence
    }

    /// A loss found by a record outside the log (a read model's or the decision state's checkpoint).
    public init(logHead: LogHead, acknowledgedPosition: UInt64, evidence: String) {
        self.init(segment: "", fileOffset: 0, logPosition: logHead.position, acknowledgedPosition: acknowledgedPosition,
                  commitsMissing: nil, evidence: evidence)
    }

    public var description: String {
        let commits = commitsMissing.map { "\($0) acknowledged commit(s)" } ?? "acknowledged commits"
        let end = segment.isEmpty ? "" : " (segment \(segment), byte offset \(fileOffset))"
        return "the log ends at position \(logPosition)\(end), but \(evidence) "
            + "shows that commits up to position \(acknowledgedPosition) were acknowledged: positions "
            + "\(logPosition + 1)–\(acknowledgedPosition) (\(commits)) are missing. This is not a torn write. Nothing was cut "
            + "and nothing is appended over them: restore the missing segment bytes from a backup, or run "
            + "`teamlog recover --accept-loss` to cut the log there and record the loss in it"
    }
}

/// The store's evidence of how far the log reached when it last acknowledged a commit, compared
/// with what the log holds. Each piece is written only after the commits it names were durable, so
/// none of it can be ahead of the log unless acknowledged commits were lost since.
struct AcknowledgedEvidence {
    var mark: AcknowledgedHead.Reading
    /// The first position of the last frame the sparse index names (read as it was on disk).
    var indexedPosition: UInt64?
    /// The positions the stream and command tables say they cover.
    var tables: [(path: String, covered: UInt64)]

    static func gather(layout: StoreLayout, storeId: StoreID, index: FrameIndex?) -> AcknowledgedEvidence {
        var tables: [(String, UInt64)] = []
        for path in [layout.streamsTableFile, layout.commandsTableFile] {
            if let covered = DiskHashTable.coveredPosition(path: path) { tables.append((path, covered)) }
        }
        return AcknowledgedEvidence(mark: AcknowledgedHead.read(path: layout.acknowledgedFile, storeId: storeId),
                                    indexedPosition: index?.entries.last?.firstPosition, tables: tables)
    }

    var acknowledged: AcknowledgedHead? {
        if case .found(let head, _) = mark { return head }
        return nil
    }

    /// The furthest claim, from the most precise source first.
    func furthestClaim() -> (position: UInt64, source: String, commits: UInt64?) {
        var best: (UInt64, String, UInt64?) = (0, "", nil)
        if let acknowledged { best = (acknowledged.position, "acknowledged (the record of the last acknowledged commit)", acknowledged.commits) }
        if let indexedPosition, indexedPosition > best.0 { best = (indexedPosition, "index/frames.idx (a frame starting there)", nil) }
        for table in tables where table.covered > best.0 {
            best = (table.covered, "index/" + (table.path as NSString).lastPathComponent + " (it covers up to there)", nil)
        }
        return best
    }

    /// Throws when the log (ending at `head`, its whole commits ending at `offset` of `segment`)
    /// holds less than was acknowledged, or holds something else at the acknowledged position.
    /// `chainAtMark` is the chain value after the commit ending at the mark's position, when the
    /// scan passed it (`markEndsCommit` says whether a commit ended exactly there).
    func check(head: LogHead, segment: String, offset: UInt64,
               scannedFrom: UInt64, chainAtMark: [UInt8]?, markEndsCommit: Bool) throws(EventLogError) {
        let claim = furthestClaim()
        if claim.position > head.position {
            let missing = claim.commits.map { $0 > head.commits ? $0 - head.commits : 0 }
            throw .acknowledgedCommitsMissing(AcknowledgedLoss(
                segment: segment, fileOffset: offset, logPosition: head.position, acknowledgedPosition: claim.position,
                commitsMissing: missing, evidence: claim.source))
        }
        guard let acknowledged, acknowledged.position > 0 else { return }
        let location = LogLocation(segment: segment, fileOffset: offset, position: acknowledged.position)
        if acknowledged.position == head.position {
            guard head.hash == acknowledged.hash, head.commits == acknowledged.commits else {
                throw .corrupt(location, reason: "the commit at the acknowledged head (position \(acknowledged.position)) is not the one "
                               + "that was acknowledged: its hash chain value differs, so the log was rewritten or replaced")
            }
        } else if acknowledged.position >= scannedFrom {
            guard markEndsCommit, chainAtMark == acknowledged.hash else {
                throw .corrupt(location, reason: "the log no longer holds the commit acknowledged at position \(acknowledged.position) "
                               + "(no commit with its hash chain value ends there): the log was rewritten or replaced")
            }
        }
    }

    /// Why the end of the log cannot be confirmed (the record of the last acknowledged commit is
    /// gone), or nil when it can.
    var unconfirmedReason: String? {
        switch mark {
        case .found: return nil
        case .missing: return "the file is missing"
        case .unreadable(let reason): return reason
        }
    }
}
