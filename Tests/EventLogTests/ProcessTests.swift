import Foundation
import Synchronization
import Testing
@testable import EventLog

/// Several processes: appenders killed with SIGKILL, two writers at once, readers beside a writer,
/// and the stock `lz4` tool reading what we wrote. Children are `teamlog-testkit` (Tools/TestKit).
@Suite struct ProcessTests {
    static let testkit = builtExecutable("teamlog-testkit")

    /// The same stable hash as the test kit's, to know how many events each command id carries.
    static func stableHash(_ s: String) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in s.utf8 { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return Int(h >> 1)
    }

    /// Starts an append-loop child, kills it once it has acknowledged `commits` commits (waiting at
    /// most 30 s for them) and `extraDelay` seconds more; returns the acknowledgements it printed.
    static func appendAndKill(store: String, run: String, commits: Int, extraDelay: Double) throws
        -> [(id: String, first: UInt64, last: UInt64)] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: testkit)
        process.arguments = ["append-loop", "--store", store, "--run", run, "--durability", "fsync", "--lock-timeout", "30"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let reader = out.fileHandleForReading
        var data = Data()
        let deadline = Date().addingTimeInterval(30)
        func acknowledged() -> Int { String(decoding: data, as: UTF8.self).split(separator: "\n").count { $0.hasPrefix("ack ") } }
        while acknowledged() < commits, Date() < deadline {
            var descriptor = pollfd(fd: reader.fileDescriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 100) > 0 else { continue }
            let chunk = reader.availableData
            if chunk.isEmpty { break }  // the child ended
            data.append(chunk)
        }
        usleep(useconds_t(extraDelay * 1_000_000))
        kill(process.processIdentifier, SIGKILL)
        data.append(reader.readDataToEndOfFile())
        process.waitUntilExit()
        var acks: [(String, UInt64, UInt64)] = []
        let text = String(decoding: data, as: UTF8.self)
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) where text.hasSuffix("\n") || line != text.split(separator: "\n").last {
            let parts = line.split(separator: " ")
            guard parts.count == 4, parts[0] == "ack", let first = UInt64(parts[2]), let last = UInt64(parts[3]) else { continue }
            acks.append((String(parts[1]), first, last))
        }
        return acks
    }

    @Test(.timeLimit(.minutes(5)))
    func appenderKilledAtRandomInstantsLosesNothingAcknowledged() throws {
        let dir = TemporaryDirectory()
        var generator = SystemRandomNumberGenerator()
        var acknowledged: [String: (first: UInt64, last: UInt64)] = [:]
        var kills = 0
        var recoveries = 0
        for round in 0..<60 {
            // Killed after a random number of acknowledged commits (none: while it opens and recovers
            // the log), at a random instant of the next one.
            let acks = Int.random(in: 0...12, using: &generator)
            let extraDelay = Double.random(in: 0...0.02, using: &generator)
            for ack in try Self.appendAndKill(store: dir.store, run: "r\(round)", commits: acks, extraDelay: extraDelay) {
                acknowledged[ack.id] = (ack.first, ack.last)
            }
            kills += 1
            // Reopen as the next writer would: the tail is recovered, every acknowledged commit is there, whole.
            let log = try EventLog.open(directory: dir.store)
            if log.recovery != nil { recoveries += 1 }
            var commits: [UInt64: [RecordedEvent]] = [:]
            var expectedPosition: UInt64 = 1
            let cursor = try log.read()
            while let event = try cursor.next() {
                #expect(event.position == expectedPosition)
                expectedPosition += 1
                commits[event.commitPosition, default: []].append(event)
            }
            for (id, positions) in acknowledged {
                let events = try #require(commits[positions.first], "acknowledged commit \(id) is missing")
                #expect(events.first?.commandId == id)
                #expect(UInt64(events.count) == positions.last - positions.first + 1)
            }
            for (_, events) in commits {
                let id = try #require(events.first?.commandId)
                #expect(events.count == 1 + Self.stableHash(id) % 4, "commit \(id) is partial")
                for (index, event) in events.enumerated() {
                    #expect(String(decoding: event.payload, as: UTF8.self).contains("\"command\":\"\(id)\",\"index\":\(index),"))
                }
            }
            log.close()
            #expect(try EventLog.open(directory: dir.store, options: .readOnly).verify().tornTail == nil)
        }
        #expect(kills == 60)
        #expect(acknowledged.count > 60, "the children acknowledged too few commits to prove anything")
        print("kill test: \(kills) kills, \(acknowledged.count) acknowledged commits checked, \(recoveries) torn tails cut")
    }

    /// A disk that fills up (RLIMIT_FSIZE caps every file the child writes): the append that does
    /// not fit fails with a clear error, nothing acknowledged is lost, nothing partial is visible,
    /// and the same open log takes appends again once there is room.
    @Test func aFullDiskFailsAppendsClearlyAndLosesNothing() throws {
        let dir = TemporaryDirectory()
        try EventLog.open(directory: dir.store).close()
        let result = try run(Self.testkit, ["append-until-full", "--store", dir.store, "--headroom", "40000"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        let full = try #require(lines.first { $0.hasPrefix("full ") })
        #expect(full.contains("File too large") || full.contains("No space"), "\(full)")
        #expect(full.contains("errno"))
        var acknowledged: [String: UInt64] = [:]
        for line in lines where line.hasPrefix("ack ") {
            let parts = line.split(separator: " ")
            acknowledged[String(parts[1])] = UInt64(parts[2])
        }
        #expect(acknowledged.keys.filter { $0.hasPrefix("full-") }.count > 10)
        #expect(acknowledged.keys.filter { $0.hasPrefix("after-") }.count == 5)
        let log = try EventLog.open(directory: dir.store, options: .readOnly)
        #expect(try log.verify().tornTail == nil)
        var found: [String: UInt64] = [:]
        let cursor = try log.read()
        while let event = try cursor.next() {
            if event.position == event.commitPosition, let id = event.commandId { found[id] = event.position }
        }
        for (id, position) in acknowledged { #expect(found[id] == position, "acknowledged commit \(id)") }
    }

    @Test func twoProcessesCreatingOneStoreAgreeOnIt() throws {
        for _ in 0..<10 {
            let dir = TemporaryDirectory()
            let results = Mutex([Int32]())
            DispatchQueue.concurrentPerform(iterations: 2) { n in
                let result = try? run(Self.testkit, ["append-one", "--store", dir.store, "--id", "p\(n)"])
                results.withLock { $0.append(result?.status ?? -1) }
            }
            #expect(results.withLock { $0 } == [0, 0])
            #expect(try EventLog.open(directory: dir.store, options: .readOnly).verify().commits == 2)
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func twoWritersTakeTurnsOrTheSecondGetsTheLockError() throws {
        let dir = TemporaryDirectory()
        try EventLog.open(directory: dir.store).close()
        func start(_ run: String, timeout: String) throws -> (Process, Pipe, Pipe) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.testkit)
            process.arguments = ["append-loop", "--store", dir.store, "--run", run, "--count", "150", "--lock-timeout", timeout]
            let out = Pipe(), err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()
            return (process, out, err)
        }
        // Both wait long enough: they append in turn.
        let a = try start("a", timeout: "60"), b = try start("b", timeout: "60")
        for (process, out, _) in [a, b] {
            let lines = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: "\n")
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
            #expect(lines.filter { $0.hasPrefix("ack ") }.count == 150)
        }
        // One holds the lock; the other gives up quickly with a clear error and writes nothing.
        let holder = try EventLog.open(directory: dir.store)
        let c = try start("c", timeout: "0.3")
        let message = String(decoding: c.2.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        c.0.waitUntilExit()
        #expect(c.0.terminationStatus != 0)
        #expect(message.contains("busy") && message.contains("pid \(getpid())"))
        holder.close()
        let report = try EventLog.open(directory: dir.store, options: .readOnly).verify()
        #expect(report.commits == 300)
    }

    @Test func concurrentAppendersInOneProcessShareDurableWrites() throws {
        let dir = TemporaryDirectory()
        let log = try EventLog.open(directory: dir.store)
        let threads = 8, perThread = 100
        let failures = Mutex(0)
        // Eight threads of their own, started together: appenders overlap, and group commit makes some
        // of them share a write. On a machine so loaded that a whole round ran one append at a time,
        // another round is run (up to five) rather than failing on the scheduler's whim.
        var rounds = 0
        repeat {
            let round = rounds
            let start = DispatchSemaphore(value: 0)
            let group = DispatchGroup()
            for t in 0..<threads {
                group.enter()
                Thread.detachNewThread {
                    start.wait()
                    for n in 0..<perThread {
                        do { _ = try log.append(commit([event("t\(t)")], id: "r\(round)-t\(t)-\(n)")) } catch { failures.withLock { $0 += 1 } }
                    }
                    group.leave()
                }
            }
            for _ in 0..<threads { start.signal() }
            group.wait()
            rounds += 1
        } while log.durableWrites == rounds * threads * perThread && rounds < 5
        #expect(failures.withLock { $0 } == 0)
        #expect(try log.head().position == UInt64(rounds * threads * perThread))
        #expect(log.durableWrites < rounds * threads * perThread, "no two commits shared a write in \(rounds) rounds")
        for t in 0..<threads { #expect(try log.streamVersion("t\(t)") == UInt64(rounds * perThread)) }
        let positions = try log.read().collect().map(\.position)
        #expect(positions == Array(1...UInt64(rounds * threads * perThread)))
    }

    @Test func readersBesideAWriterOnlySeeWholeCommits() throws {
        let dir = TemporaryDirectory()
        let writer = try EventLog.open(directory: dir.store, options: EventLogOptions(segmentTargetBytes: 20_000))
        let reader = try EventLog.open(directory: dir.store, options: .readOnly)
        let done = Mutex(false)
        let thread = Thread {
            for n in 0..<300 {
                _ = try? writer.append(commit((0..<5).map { i in event("c\(n)", "Part", "commit \(n) part \(i) " + String(repeating: "z", count: n % 50)) }))
            }
            done.withLock { $0 = true }
        }
        thread.start()
        var reads = 0
        while true {
            let finished = done.withLock { $0 }
            let events = try reader.read().collect()
            var byCommit: [UInt64: Int] = [:]
            for (index, event) in events.enumerated() {
                #expect(event.position == UInt64(index + 1))
                byCommit[event.commitPosition, default: 0] += 1
            }
            #expect(byCommit.values.allSatisfy { $0 == 5 }, "a reader saw part of a commit")
            reads += 1
            if finished { break }
        }
        #expect(reads > 1)
        #expect(try reader.head().position == 1_500)
        writer.close()
    }

    @Test func stockLZ4ToolDecodesEverySegment() throws {
        let dir = TemporaryDirectory()
        let log = try EventLog.open(directory: dir.store, options: EventLogOptions(segmentTargetBytes: 1_000))
        for n in 0..<80 { _ = try log.append(commit([event("s-\(n % 4)", "T", "number \(n)")], id: "c\(n)")) }
        log.close()
        let segments = segmentFiles(dir.store)
        #expect(segments.count > 2)
        var position: UInt64 = 1
        for segment in segments {
            let path = dir.store + "/log/" + segment
            #expect(try run("/usr/bin/lz4", ["-t", path]).status == 0, "lz4 -t rejects \(segment)")
            let decoded = try runRaw("/usr/bin/lz4", ["-dc", path])
            #expect(decoded.status == 0)
            // The decompressed stream is commit records: u32 length, then the body and a CRC.
            let bytes = decoded.stdout
            var offset = 0
            while offset < bytes.count {
                let length = bytes[offset..<offset + 4].reversed().reduce(0) { $0 << 8 | Int($1) }
                let first = bytes[offset + 5..<offset + 13].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
                #expect(first == position)
                let text = String(decoding: bytes[offset..<offset + 4 + length], as: UTF8.self)
                #expect(text.contains("number \(position - 1)"))
                position += 1
                offset += 4 + length
            }
        }
        #expect(position == 81)
    }

    /// 10,000 single-event commits, each from its own process, compress within 85% of the same
    /// commits appended in one batch (segments are repacked as small frames pile up).
    @Test(.timeLimit(.minutes(10)))
    func compressionDoesNotDependOnHowEventsArrive() throws {
        let count = 10_000
        let single = TemporaryDirectory(), batch = TemporaryDirectory()
        let next = Mutex(1)
        let failures = Mutex([String]())
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            while true {
                let n = next.withLock { value -> Int in defer { value += 1 }; return value }
                if n > count { break }
                let result = try? run(Self.testkit, ["append-one", "--store", single.store, "--id", "e\(n)"])
                if result?.status != 0 { failures.withLock { $0.append("e\(n): \(result?.stderr ?? "did not start")") } }
            }
        }
        #expect(failures.withLock { $0 } == [])
        #expect(try run(Self.testkit, ["append-batch", "--store", batch.store, "--prefix", "e", "--count", "\(count)"]).status == 0)
        let singleStats = try EventLog.open(directory: single.store, options: .readOnly).statistics()
        let batchStats = try EventLog.open(directory: batch.store, options: .readOnly).statistics()
        #expect(singleStats.events == UInt64(count))
        #expect(batchStats.events == UInt64(count))
        let ratio = singleStats.compressionRatio / batchStats.compressionRatio
        print(String(format: "compression: 10,000 processes %.2f, one batch %.2f (%.0f%%)",
                     singleStats.compressionRatio, batchStats.compressionRatio, ratio * 100))
        #expect(ratio >= 0.85)
        #expect(try EventLog.open(directory: single.store, options: .readOnly).verify().commits == UInt64(count))
    }
}

/// An auditor's reading: `lz4 -dc` and the documented short script, without Teamlog.
@Suite struct AuditorScriptTests {
    @Test func readLogScriptReproducesTheHeadHash() throws {
        let dir = TemporaryDirectory()
        let log = try EventLog.open(directory: dir.store, options: EventLogOptions(segmentTargetBytes: 2_000))
        for n in 0..<50 { _ = try log.append(commit([event("s-\(n % 3)", "T", "n\(n)"), event("x", "U", "é\(n)")], id: "c\(n)")) }
        let head = try log.head()
        log.close()
        let result = try run("/usr/bin/env", ["python3", packageRoot + "/Tools/read-log.py", dir.store])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 101)
        #expect(lines.last?.contains("\"head_hash\": \"\(head.hashHex)\"") == true)
        #expect(lines[1].contains("\"payload\": \"{\\\"text\\\":\\\"\\u00e90\\\"}\"") || lines[1].contains("é0"))
    }
}
