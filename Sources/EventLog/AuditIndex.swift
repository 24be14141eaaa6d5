import CChecksums
import Foundation
import PosixFiles

/// The audit index (`index/audit/`): the positions of each stream's and each actor's events, so that
/// `teamlog log --stream S` / `--actor A` and `GET /v1/log?stream=…` read only the frames that hold
/// them. Derived from the log and never trusted blindly:
///
/// - it is a chain of immutable runs (`AuditIndexRun`), each covering a range of positions that ends on a
///   frame boundary; a run is taken only when it opens soundly (header, store id, size, page table), when
///   its header's chain value before it is the one after the run before, and the last run's chain value
///   after it is the log's at that position (so a run from another history is never used);
/// - it is extended lazily, by readers: when whole frames lie beyond it, the next indexed read indexes
///   them (under `index/audit/lock`, without waiting: a busy or read-only store reads the rest by a scan);
/// - runs merge (the newer into the older, while the newer covers at least as many positions), so their
///   number stays logarithmic in the log's length; a merge writes a new run and then removes its inputs,
///   and whatever a kill leaves (`.tmp` files, superseded runs) is ignored and removed by the next writer;
/// - what lies beyond the index (at most the frames after its end: the open frame) is read by a scan.
struct AuditIndex {
    /// Positions per run built from the log (about 1M events: bounded memory).
    static let buildBatchPositions: UInt64 = 1_000_000

    let runs: [AuditIndexRun]
    /// Files found unsound or not matching the log, with why (for verify; removed by the next writer).
    let rejected: [(path: String, reason: String)]

    /// The last position the index covers (0: none).
    var covered: UInt64 { runs.last?.last ?? 0 }

    // MARK: Loading

    /// The runs that chain from position 1 and agree with the log (through `frames`).
    static func load(layout: StoreLayout, storeId: StoreID, frames: FrameIndex) -> AuditIndex {
        let directory = layout.auditIndexDirectory
        guard PosixFile.exists(directory), let names = try? PosixFile.listDirectory(directory) else {
            return AuditIndex(runs: [], rejected: [])
        }
        let candidates = names.compactMap { name in AuditIndexRun.range(ofFileName: name).map { (name, $0.first, $0.last) } }
            .sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.2 > $1.2 }
        var runs: [AuditIndexRun] = []
        var rejected: [(path: String, reason: String)] = []
        var next: UInt64 = 1
        var chain = HashChain.genesis
        for (name, first, _) in candidates where first == next {
            let path = directory + "/" + name
            do throws(EventLogError) {
                let run = try AuditIndexRun.open(path: path, storeId: storeId)
                guard run.header.chainBefore == chain else {
                    rejected.append((path, "its chain value before position \(first) is not the one after the run before it"))
                    continue
                }
                runs.append(run)
                next = run.last + 1
                chain = run.header.chainAfter
            } catch {
                rejected.append((path, Self.reason(error)))
            }
        }
        // The last run must end where the log has the chain value it recorded; else drop runs until one does.
        while let last = runs.last {
            if chainValue(after: last.last, layout: layout, frames: frames) == last.header.chainAfter { break }
            rejected.append((last.path, "it covers up to position \(last.last), where the log's chain value is not the one it "
                + "recorded (the log was cut or rewritten since, or the file comes from another copy)"))
            runs.removeLast()
        }
        return AuditIndex(runs: runs, rejected: rejected)
    }

    static func reason(_ error: EventLogError) -> String {
        if case let .derivedFileDamaged(_, reason) = error { return reason }
        return "\(error)"
    }

    /// The chain value after the commit that ends at `position`, from the log: the sparse index's value
    /// before the frame that starts right after it, else by hashing the commits of the frame that holds it.
    /// Nil when no commit ends there or the log cannot be read there.
    static func chainValue(after position: UInt64, layout: StoreLayout, frames: FrameIndex) -> [UInt8]? {
        if position == 0 { return HashChain.genesis }
        if let next = frames.entry(atOrBefore: position + 1), next.firstPosition == position + 1 { return next.chainBefore }
        guard let entry = frames.entry(atOrBefore: position),
              let file = try? PosixFile.openForReading(layout.segmentPath(StoreLayout.segmentName(firstPosition: entry.segmentFirstPosition)))
        else { return nil }
        let reader = SegmentReader(file: file, segment: file.path, startOffset: entry.frameOffset,
                                   expectedPosition: entry.firstPosition, computeChecksums: false)
        var chain = HashChain(value: entry.chainBefore)
        while case .record(let record)? = try? reader.next() {
            chain.extend(with: record.bytes)
            let end = record.firstPosition + UInt64(record.eventCount) - 1
            if end == position { return chain.value }
            if end > position { return nil }
        }
        return nil
    }

    // MARK: Extending

    /// The index, extended over the whole frames beyond it when this process can write it; the runs
    /// already sound otherwise. Never fails: whatever it cannot index, the read scans.
    static func prepare(layout: StoreLayout, storeId: StoreID, frames: FrameIndex) -> AuditIndex {
        let loaded = load(layout: layout, storeId: storeId, frames: frames)
        guard let target = frames.entries.last.map({ $0.firstPosition - 1 }), target > loaded.covered || !loaded.rejected.isEmpty
        else { return loaded }
        return (try? extend(layout: layout, storeId: storeId, frames: frames, target: target)) ?? loaded
    }

    /// Under the index's lock (not waited for): removes what is not part of the index, indexes up to
    /// `target` (a frame's last position) and merges runs.
    static func extend(layout: StoreLayout, storeId: StoreID, frames: FrameIndex, target: UInt64) throws(EventLogError) -> AuditIndex? {
        let directory = layout.auditIndexDirectory
        if !PosixFile.exists(directory) { try PosixFile.makeDirectory(directory) }
        let lock = try PosixFile.open(directory + "/lock", flags: O_RDWR | O_CREAT)
        defer { lock.close() }
        guard try lock.lockExclusively(timeout: 0) else { return nil }
        // Another process may have extended it meanwhile: load again under the lock.
        let loaded = load(layout: layout, storeId: storeId, frames: frames)
        var runs = loaded.runs
        let kept = Set(runs.map { ($0.path as NSString).lastPathComponent })
        for name in try PosixFile.listDirectory(directory) where name != "lock" && !kept.contains(name) {
            try? PosixFile.remove(directory + "/" + name)
        }
        var start = (runs.last?.last ?? 0) + 1
        // Each pass indexes at least one frame: bounded by the frames.
        while start <= target {
            var end = target
            for entry in frames.entries where entry.firstPosition > start && entry.firstPosition - start >= buildBatchPositions {
                end = min(target, entry.firstPosition - 1)
                break
            }
            guard let chainAfter = chainValue(after: end, layout: layout, frames: frames) else { break }
            let run = try build(layout: layout, storeId: storeId, frames: frames, first: start, last: end,
                                chainBefore: runs.last?.header.chainAfter ?? HashChain.genesis, chainAfter: chainAfter)
            runs.append(run)
            start = end + 1
            try mergeTail(&runs, layout: layout, storeId: storeId)
        }
        try mergeTail(&runs, layout: layout, storeId: storeId)
        return AuditIndex(runs: runs, rejected: [])
    }

    /// Indexes positions `first...last` of the log into a new run.
    private static func build(layout: StoreLayout, storeId: StoreID, frames: FrameIndex, first: UInt64, last: UInt64,
                              chainBefore: [UInt8], chainAfter: [UInt8]) throws(EventLogError) -> AuditIndexRun {
        var lists: [UInt32: [UInt64]] = [:]
        let cursor = try LogCursor(layout: layout, storeId: storeId, index: frames, from: first,
                                   filter: EventFilter(untilPosition: last))
        var lastActor = ""
        var actorKey: UInt32 = 0
        do {
            try cursor.scan { view in
                lists[key(.stream, bytes: view.streamBytes), default: []].append(view.position)
                if view.actor != lastActor {
                    lastActor = view.actor
                    actorKey = key(.actor, view.actor)
                }
                lists[actorKey, default: []].append(view.position)
            }
        } catch let error as EventLogError {
            throw error
        } catch {
            throw .derivedFileDamaged(path: layout.auditIndexDirectory, reason: "indexing failed: \(error)")
        }
        var writer = try AuditIndexRunWriter(directory: layout.auditIndexDirectory, first: first, last: last,
                                             expectedKeys: lists.count)
        do throws(EventLogError) {
            for (key, positions) in lists.sorted(by: { $0.key < $1.key }) { try writer.add(key: key, positions: positions) }
        } catch {
            writer.abandon()
            throw error
        }
        let path = try writer.finish(storeId: storeId, chainBefore: chainBefore, chainAfter: chainAfter)
        return try AuditIndexRun.open(path: path, storeId: storeId)
    }

    /// Merges the last two runs while the newer covers at least as many positions as the older.
    private static func mergeTail(_ runs: inout [AuditIndexRun], layout: StoreLayout, storeId: StoreID) throws(EventLogError) {
        while runs.count >= 2, runs[runs.count - 1].last - runs[runs.count - 1].first >= runs[runs.count - 2].last - runs[runs.count - 2].first {
            let newer = runs.removeLast(), older = runs.removeLast()
            runs.append(try merge(older, newer, layout: layout, storeId: storeId))
            try? PosixFile.remove(older.path)
            try? PosixFile.remove(newer.path)
        }
    }

    /// One run for the positions of two adjacent runs: each key's list is the older's then the newer's.
    private static func merge(_ older: AuditIndexRun, _ newer: AuditIndexRun, layout: StoreLayout,
                              storeId: StoreID) throws(EventLogError) -> AuditIndexRun {
        var writer = try AuditIndexRunWriter(directory: layout.auditIndexDirectory, first: older.first, last: newer.last,
                                             expectedKeys: older.keyCount + newer.keyCount)
        do throws(EventLogError) {
            let olderEntries = try older.entriesRange(), newerEntries = try newer.entriesRange()
            var a = olderEntries.lowerBound, b = newerEntries.lowerBound
            var positions: [UInt64] = []
            // Each pass moves past at least one entry: bounded by the two runs' entries.
            while a < olderEntries.upperBound || b < newerEntries.upperBound {
                let entryA = a < olderEntries.upperBound ? try older.entry(at: a, limit: olderEntries.upperBound) : nil
                let entryB = b < newerEntries.upperBound ? try newer.entry(at: b, limit: newerEntries.upperBound) : nil
                let key = min(entryA?.key ?? .max, entryB?.key ?? .max)
                positions.removeAll(keepingCapacity: true)
                if let entryA, entryA.key == key {
                    try older.decode(entryA, into: &positions)
                    a = entryA.end
                }
                if let entryB, entryB.key == key {
                    try newer.decode(entryB, into: &positions)
                    b = entryB.end
                }
                try writer.add(key: key, positions: positions)
            }
        } catch {
            writer.abandon()
            throw error
        }
        let path = try writer.finish(storeId: storeId, chainBefore: older.header.chainBefore, chainAfter: newer.header.chainAfter)
        return try AuditIndexRun.open(path: path, storeId: storeId)
    }

    // MARK: Keys

    /// The key of a name given as UTF-8 bytes (an event's stream, borrowed from the read buffer).
    static func key(_ kind: AuditIndexRun.KeyKind, bytes: UnsafeRawBufferPointer) -> UInt32 {
        // Names compare as Strings (canonically equivalent names match): non-ASCII names are keyed by their NFC form.
        if bytes.contains(where: { $0 >= 0x80 }) { return key(kind, String(decoding: bytes, as: UTF8.self)) }
        var out: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &out) { raw in
            teamlog_murmur3_128(bytes.baseAddress, bytes.count, 0x7465_616D &+ UInt32(kind.rawValue),
                                raw.baseAddress!.assumingMemoryBound(to: UInt64.self))
        }
        return UInt32(truncatingIfNeeded: out.0)
    }

    static func key(_ kind: AuditIndexRun.KeyKind, _ name: String) -> UInt32 {
        var utf8 = Array(name.utf8)
        if utf8.contains(where: { $0 >= 0x80 }) { utf8 = Array(name.precomposedStringWithCanonicalMapping.utf8) }
        var out: (UInt64, UInt64) = (0, 0)
        utf8.withUnsafeBytes { bytes in
            withUnsafeMutableBytes(of: &out) { raw in
                teamlog_murmur3_128(bytes.baseAddress, bytes.count, 0x7465_616D &+ UInt32(kind.rawValue),
                                    raw.baseAddress!.assumingMemoryBound(to: UInt64.self))
            }
        }
        return UInt32(truncatingIfNeeded: out.0)
    }

    // MARK: Reading

    /// The indexed positions (at most `covered`) that may match `filter`: every event of the named
    /// streams (and of the named actors; both named: those in both), ascending, within its position bounds.
    func candidates(_ filter: EventFilter, from: UInt64) throws(EventLogError) -> [UInt64] {
        func positions(_ kind: AuditIndexRun.KeyKind, _ names: Set<String>) throws(EventLogError) -> [UInt64] {
            var all: [UInt64] = []
            for name in names {
                let key = Self.key(kind, name)
                for run in runs { try run.positions(of: key, into: &all) }
            }
            if names.count > 1 { all = Array(Set(all)).sorted() }
            return all
        }
        let streams = try filter.streams.map { names throws(EventLogError) in try positions(.stream, names) }
        let actors = try filter.actors.map { names throws(EventLogError) in try positions(.actor, names) }
        var selected: [UInt64]
        switch (streams, actors) {
        case let (s?, a?):
            let inActors = Set(a)
            selected = s.filter { inActors.contains($0) }
        case let (s?, nil): selected = s
        case let (nil, a?): selected = a
        case (nil, nil): selected = []
        }
        let until = filter.untilPosition ?? .max
        return selected.filter { $0 >= from && $0 <= until }
    }

    /// Checks every run in full (for verify): the problems, each naming its file.
    func checkWhole() -> [(path: String, reason: String)] {
        var problems = rejected
        for run in runs {
            do throws(EventLogError) { try run.checkWhole() } catch { problems.append((run.path, Self.reason(error))) }
        }
        return problems
    }

    /// Bytes of the runs in use.
    var bytes: UInt64 { runs.reduce(0) { $0 + $1.header.fileSize } }
}
