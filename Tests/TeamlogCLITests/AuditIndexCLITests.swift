import Foundation
import Testing

/// `teamlog log --stream/--actor` through the audit index, as a user runs it: the same events as the whole
/// trail filtered, a damaged index named by `verify` and rebuilt, and a kill while it is written recovered.
@Suite struct AuditIndexCLITests {
    static func store(events: Int) throws -> CLI {
        let cli = try CLI()
        try cli.ok(["demo", "--events", String(events)])
        return cli
    }

    /// The whole trail, as JSON lines, and what a stream or actor filter should give.
    static func expected(_ all: [[String: Any]], stream: String? = nil, actor: String? = nil) -> [Int] {
        all.filter { event in
            (stream.map { event["stream"] as? String == $0 } ?? true) && (actor.map { event["actor"] as? String == $0 } ?? true)
        }.compactMap { $0["position"] as? Int }
    }

    static func positions(_ cli: CLI, _ arguments: [String]) throws -> [Int] {
        try cli.ok(["log", "--format", "jsonl"] + arguments).jsonLines().compactMap { $0["position"] as? Int }
    }

    static func auditWarnings(_ cli: CLI) throws -> [String] {
        try cli.run(["verify"]).lines.filter { $0.contains("audit index") }
    }

    @Test func streamAndActorReadsEqualTheWholeTrailFiltered() throws {
        let cli = try Self.store(events: 12_000)
        let all = try cli.ok(["log", "--format", "jsonl"]).jsonLines()
        let streams = Array(Set(all.compactMap { $0["stream"] as? String })).sorted().prefix(12)
        let actors = Array(Set(all.compactMap { $0["actor"] as? String })).sorted().prefix(6)
        for stream in streams {
            #expect(try Self.positions(cli, ["--stream", stream]) == Self.expected(all, stream: stream), "\(stream)")
        }
        for actor in actors {
            let expected = Self.expected(all, actor: actor)
            #expect(try Self.positions(cli, ["--actor", actor]) == expected, "\(actor)")
            #expect(try Self.positions(cli, ["--actor", actor, "--last", "20"]) == Array(expected.suffix(20)), "\(actor) --last 20")
        }
        #expect(FileManager.default.fileExists(atPath: cli.store + "/index/audit"), "the reads built the index")
        #expect(try Self.auditWarnings(cli).isEmpty)
    }

    @Test func theServersLogByStreamOrActorEqualsTheWholeTrailFiltered() throws {
        let served = try ServedStore(setup: ["demo", "--events", "12000"])
        let auditor = try served.key(actor: "u-audit", role: "auditor")
        let all = try served.cli.ok(["log", "--format", "jsonl"]).jsonLines()
        let stream = try #require(all.first { ($0["stream"] as? String)?.hasPrefix("team-") == true }?["stream"] as? String)
        let actor = try #require(all.last?["actor"] as? String)
        for (query, expected) in [("stream=\(stream)", Self.expected(all, stream: stream)), ("actor=\(actor)", Self.expected(all, actor: actor))] {
            var positions: [Int] = []
            var from: Int? = 1
            // Pages of 7 events: bounded by the expected count.
            for _ in 0...(expected.count / 7 + 1) {
                guard let start = from else { break }
                let page = try served.http.get("/v1/log?\(query)&limit=7&from=\(start)", key: auditor).json()
                let events = try #require(page["events"] as? [[String: Any]])
                positions += events.compactMap { $0["position"] as? Int }
                from = page["next"] as? Int
            }
            #expect(positions == expected, "\(query)")
        }
    }

    @Test func verifyNamesADamagedIndexFileAndTheNextReadRebuildsIt() throws {
        let cli = try Self.store(events: 12_000)
        let all = try cli.ok(["log", "--format", "jsonl"]).jsonLines()
        let actor = try #require(all.last?["actor"] as? String)
        let expected = Self.expected(all, actor: actor)
        #expect(try Self.positions(cli, ["--actor", actor]) == expected)
        let audit = cli.store + "/index/audit/"
        let run = try #require(try FileManager.default.contentsOfDirectory(atPath: audit).first { $0.hasSuffix(".run") })
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: audit + run))
        try handle.seek(toOffset: 40)
        try handle.write(contentsOf: Data([0xFF]))
        try handle.close()
        let warnings = try Self.auditWarnings(cli)
        #expect(warnings.contains { $0.contains(run) && $0.contains("checksum") && $0.contains("rebuilds it") }, "\(warnings)")
        #expect(try Self.positions(cli, ["--actor", actor]) == expected)
        #expect(try Self.auditWarnings(cli).isEmpty, "rebuilt by the read")
    }

    @Test func aKillWhileTheIndexIsWrittenIsRecovered() throws {
        let cli = try Self.store(events: 20_000)
        let all = try cli.ok(["log", "--format", "jsonl"]).jsonLines()
        let actor = try #require(all.first?["actor"] as? String)
        let expected = Self.expected(all, actor: actor)
        var random = SystemRandomNumberGenerator()
        for round in 0..<10 {
            if round % 3 == 0 { try? FileManager.default.removeItem(atPath: cli.store + "/index/audit") }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CLI.binary)
            process.arguments = ["log", "--actor", actor, "--format", "jsonl", "--store", cli.store]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32.random(in: 5_000...400_000, using: &random))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(try Self.positions(cli, ["--actor", actor]) == expected, "after kill \(round)")
        }
        #expect(try Self.auditWarnings(cli).isEmpty)
        let left = try FileManager.default.contentsOfDirectory(atPath: cli.store + "/index/audit")
        #expect(!left.contains { $0.hasSuffix(".tmp") }, "\(left)")
    }
}
