import EventLog
import Foundation
import GRDB
import GRDBSQLite

/// `Tools/bench log`: the log against the SQLite-table baseline of DESIGN.md section 6, on the same
/// events, in the same run. Each phase runs in its own child process so that peak memory is its own.
enum LogBenchmark {
    struct Measurement {
        var bench: String
        var system: String
        var events: Int
        var eventsPerSecond: Double
        var bytesPerEvent: Double
        var peakRSS: Double

        var json: String {
            BenchSupport.json([("bench", bench), ("system", system), ("events", events), ("events_per_s", eventsPerSecond),
                               ("bytes_per_event", bytesPerEvent), ("peak_rss_mb", peakRSS)])
        }

        init(bench: String, system: String, events: Int, eventsPerSecond: Double, bytesPerEvent: Double, peakRSS: Double) {
            self.bench = bench; self.system = system; self.events = events
            self.eventsPerSecond = eventsPerSecond; self.bytesPerEvent = bytesPerEvent; self.peakRSS = peakRSS
        }

        init?(json line: String) {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let bench = object["bench"] as? String, let system = object["system"] as? String else { return nil }
            self.init(bench: bench, system: system, events: (object["events"] as? Int) ?? 0,
                      eventsPerSecond: (object["events_per_s"] as? Double) ?? 0,
                      bytesPerEvent: (object["bytes_per_event"] as? Double) ?? 0, peakRSS: (object["peak_rss_mb"] as? Double) ?? 0)
        }
    }

    static let batchSize = 1_000

    /// The parent: runs the four phases as children and prints the comparison.
    static func run(events: Int, json: Bool, directory: String, eventsPerCommit: Int) throws {
        try? FileManager.default.removeItem(atPath: directory)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var results: [Measurement] = []
        for system in ["teamlog", "sqlite"] {
            for phase in system == "teamlog" ? ["append", "read", "read-serial", "scan", "scan-serial"] : ["append", "read", "scan"] {
                let lines = try BenchSupport.runChild(["log-phase", "--system", system, "--phase", phase, "--events", "\(events)",
                                                       "--dir", directory, "--events-per-commit", "\(eventsPerCommit)"])
                for line in lines { if let m = Measurement(json: line) { results.append(m) } }
            }
        }
        if json {
            // The contract's lines: append and read (the one-thread read and the borrowed scans are in the table only).
            for m in results where m.bench == "append" || m.bench == "read" { print(m.json) }
            return
        }
        print("Log benchmark: \(events) events, durable batches of \(batchSize) (\(eventsPerCommit) event(s) per commit)")
        print("bench        system    events/s     bytes/event  peak RSS MiB")
        for m in results {
            print("\(m.bench.padding(toLength: 13, withPad: " ", startingAt: 0))\(m.system.padding(toLength: 10, withPad: " ", startingAt: 0))"
                  + String(format: "%10.0f  %12.1f  %12.1f", m.eventsPerSecond, m.bytesPerEvent, m.peakRSS))
        }
        func value(_ bench: String, _ system: String) -> Measurement? { results.first { $0.bench == bench && $0.system == system } }
        if let ta = value("append", "teamlog"), let sa = value("append", "sqlite"), let tr = value("read", "teamlog"),
           let sr = value("read", "sqlite") {
            print(String(format: "ratios: append %.1fx (target >= 5x), read %.1fx (target >= 3x), disk %.2f of baseline (target <= 0.33)",
                         ta.eventsPerSecond / sa.eventsPerSecond, tr.eventsPerSecond / sr.eventsPerSecond, ta.bytesPerEvent / sa.bytesPerEvent))
        }
        if let ts = value("scan", "teamlog"), let ss = value("scan", "sqlite"), let sr = value("read", "sqlite") {
            print(String(format: "borrowed reads (no Swift values per event): scan %.1fx the baseline's scan through SQLite's C API, %.1fx its read",
                         ts.eventsPerSecond / ss.eventsPerSecond, ts.eventsPerSecond / sr.eventsPerSecond))
        }
    }

    /// A child: one phase of one system; prints one JSON line.
    static func runPhase(system: String, phase: String, events: Int, directory: String, eventsPerCommit: Int) throws {
        let measurement: Measurement
        switch (system, phase) {
        case ("teamlog", "append"): measurement = try teamlogAppend(events: events, directory: directory + "/teamlog", eventsPerCommit: eventsPerCommit)
        case ("teamlog", "read"): measurement = try teamlogRead(directory: directory + "/teamlog", serial: false)
        case ("teamlog", "read-serial"): measurement = try teamlogRead(directory: directory + "/teamlog", serial: true)
        case ("teamlog", "scan"): measurement = try teamlogScan(directory: directory + "/teamlog", serial: false)
        case ("teamlog", "scan-serial"): measurement = try teamlogScan(directory: directory + "/teamlog", serial: true)
        case ("sqlite", "append"): measurement = try sqliteAppend(events: events, path: directory + "/baseline.sqlite")
        case ("sqlite", "read"): measurement = try sqliteRead(path: directory + "/baseline.sqlite")
        case ("sqlite", "scan"): measurement = try sqliteScan(path: directory + "/baseline.sqlite")
        default: throw BenchError("unknown system/phase \(system)/\(phase)")
        }
        print(measurement.json)
    }

    private static func teamlogAppend(events: Int, directory: String, eventsPerCommit: Int) throws -> Measurement {
        let durability: EventLogOptions.Durability = ProcessInfo.processInfo.environment["TEAMLOG_BENCH_NO_SYNC"] == nil ? .fsync : .osBuffered
        let log = try EventLog.open(directory: directory, options: EventLogOptions(durability: durability))
        var corpus = BenchCorpus(seed: 42)
        var written = 0
        var commandNumber = 0
        var elapsed = 0.0
        while written < events {
            var batch: [ProposedCommit] = []
            var inBatch = 0
            while inBatch < batchSize && written + inBatch < events {
                let count = min(eventsPerCommit, events - written - inBatch)
                commandNumber += 1
                batch.append(ProposedCommit(events: (0..<count).map { _ in corpus.nextEvent() },
                                            commandId: "cmd-\(commandNumber)", actor: "u-bench\(commandNumber % 97)"))
                inBatch += count
            }
            let start = BenchSupport.now()
            for result in try log.appendBatch(batch) { _ = try result.get() }
            elapsed += BenchSupport.now() - start
            written += inBatch
        }
        log.close()
        let bytes = BenchSupport.directorySize(directory + "/log")
        return Measurement(bench: "append", system: "teamlog", events: events, eventsPerSecond: Double(events) / elapsed,
                           bytesPerEvent: Double(bytes) / Double(events), peakRSS: BenchSupport.peakRSSMegabytes())
    }

    /// Reads every event back with `readInParallel` (decoded on background threads), or with the serial
    /// `read` (one thread) when `serial`.
    private static func teamlogRead(directory: String, serial: Bool) throws -> Measurement {
        try teamlogReadMeasurement(bench: serial ? "read-serial" : "read", directory: directory) { log, tally in
            let cursor: any EventCursor = serial ? try log.read(from: 1) : try log.readInParallel(from: 1)
            while let event = try cursor.next() { tally.add(event.payload.count &+ event.stream.utf8.count) }
        }
    }

    /// Reads every event back borrowed (`scanInParallel`, or the serial `scan`): envelope and payload
    /// bytes in place, no Swift values made per event.
    private static func teamlogScan(directory: String, serial: Bool) throws -> Measurement {
        try teamlogReadMeasurement(bench: serial ? "scan-serial" : "scan", directory: directory) { log, tally in
            func scanned(_ event: EventView) { tally.add(event.payload.count &+ event.streamBytes.count) }
            if serial { try log.read(from: 1).scan(scanned) } else { try log.scanInParallel(from: 1, scanned) }
        }
    }

    /// What a read saw: its events, and their bytes (which proves they were read).
    struct ReadTally {
        var events = 0
        var bytes = 0
        mutating func add(_ eventBytes: Int) {
            events += 1
            bytes &+= eventBytes
        }
    }

    /// Times `read` on the log in `directory`.
    private static func teamlogReadMeasurement(bench: String, directory: String,
                                               _ read: (EventLog, inout ReadTally) throws -> Void) throws -> Measurement {
        let log = try EventLog.open(directory: directory, options: .readOnly)
        return try timedRead(bench: bench, system: "teamlog", diskBytes: { Double(BenchSupport.directorySize(directory + "/log")) }) {
            try read(log, &$0)
        }
    }

    /// Times `read`; `diskBytes` is the store's size, for bytes per event.
    private static func timedRead(bench: String, system: String, diskBytes: () -> Double,
                                  _ read: (inout ReadTally) throws -> Void) throws -> Measurement {
        let start = BenchSupport.now()
        var tally = ReadTally()
        try read(&tally)
        let elapsed = BenchSupport.now() - start
        precondition(tally.bytes > 0)
        return Measurement(bench: bench, system: system, events: tally.events, eventsPerSecond: Double(tally.events) / elapsed,
                           bytesPerEvent: diskBytes() / Double(max(tally.events, 1)), peakRSS: BenchSupport.peakRSSMegabytes())
    }

    private static func sqliteAppend(events: Int, path: String) throws -> Measurement {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode=WAL")
            try db.execute(sql: "PRAGMA synchronous=FULL")
        }
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        try queue.write { db in
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS events(position INTEGER PRIMARY KEY, stream TEXT, version INTEGER, type TEXT,
                                                  data BLOB, UNIQUE(stream, version))
                """)
        }
        var corpus = BenchCorpus(seed: 42)
        var versions: [String: Int] = [:]
        var written = 0
        var elapsed = 0.0
        while written < events {
            let count = min(batchSize, events - written)
            let batch = (0..<count).map { _ in corpus.nextEvent() }
            let start = BenchSupport.now()
            try queue.write { db in
                let statement = try db.cachedStatement(sql: "INSERT INTO events(stream, version, type, data) VALUES (?, ?, ?, ?)")
                for event in batch {
                    let version = (versions[event.stream] ?? 0) + 1
                    versions[event.stream] = version
                    try statement.execute(arguments: [event.stream, version, event.type, Data(event.payload)])
                }
            }
            elapsed += BenchSupport.now() - start
            written += count
        }
        try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        try queue.close()
        let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? UInt64) ?? 0
        return Measurement(bench: "append", system: "sqlite", events: events, eventsPerSecond: Double(events) / elapsed,
                           bytesPerEvent: Double(bytes) / Double(events), peakRSS: BenchSupport.peakRSSMegabytes())
    }

    /// The baseline's borrowed read, like `teamlogScan`: each row's columns read in place through
    /// SQLite's C API (no Swift values made), as fast as SQLite itself scans.
    private static func sqliteScan(path: String) throws -> Measurement {
        try sqliteReadMeasurement(bench: "scan", path: path) { db, tally in
            let statement = try db.makeStatement(sql: "SELECT position, stream, version, type, data FROM events ORDER BY position")
            let handle = statement.sqliteStatement
            defer { sqlite3_reset(handle) }
            while true {
                let code = sqlite3_step(handle)
                guard code == SQLITE_ROW else {
                    guard code == SQLITE_DONE else { throw BenchError("sqlite3_step failed: \(code)") }
                    return
                }
                let position = sqlite3_column_int64(handle, 0)
                let stream = sqlite3_column_text(handle, 1)
                let streamCount = sqlite3_column_bytes(handle, 1)
                let version = sqlite3_column_int64(handle, 2)
                let type = sqlite3_column_text(handle, 3)
                let typeCount = sqlite3_column_bytes(handle, 3)
                let data = sqlite3_column_blob(handle, 4)
                let dataCount = sqlite3_column_bytes(handle, 4)
                tally.add(Int(dataCount) &+ Int(streamCount) &+ Int(typeCount) &+ Int(position &+ version) & 1
                      &+ (stream == nil || type == nil || data == nil ? 1 : 0))
            }
        }
    }

    /// The baseline's read into Swift values through GRDB rows.
    private static func sqliteRead(path: String) throws -> Measurement {
        try sqliteReadMeasurement(bench: "read", path: path) { db, tally in
            let rows = try Row.fetchCursor(db, sql: "SELECT position, stream, version, type, data FROM events ORDER BY position")
            while let row = try rows.next() {
                let position: Int64 = row[0]
                let stream: String = row[1]
                let version: Int64 = row[2]
                let type: String = row[3]
                let data: Data = row[4]
                tally.add(data.count &+ stream.utf8.count &+ type.utf8.count &+ Int(position &+ version) & 1)
            }
        }
    }

    /// Times `read` in a read transaction on the baseline at `path`.
    private static func sqliteReadMeasurement(bench: String, path: String,
                                              _ read: (Database, inout ReadTally) throws -> Void) throws -> Measurement {
        let queue = try DatabaseQueue(path: path)
        let size = { Double((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? UInt64) ?? 0) }
        return try timedRead(bench: bench, system: "sqlite", diskBytes: size) { tally in
            tally = try queue.read { db in
                var inner = ReadTally()
                try read(db, &inner)
                return inner
            }
        }
    }
}
