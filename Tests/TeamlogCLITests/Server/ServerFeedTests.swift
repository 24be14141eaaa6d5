import Foundation
import Testing

/// The live feed and what survives a kill: over real HTTP, with the built binary.
@Suite(.serialized) struct ServerFeedTests {
    /// Posts `count` new-team commands, each with its own command id; returns the ids answered 200.
    static func appendTeams(_ http: TestHTTP, key: String, prefix: String, count: Int) -> [String] {
        var answered: [String] = []
        for index in 0..<count {
            let id = "\(prefix)-\(index)"
            guard let answer = try? http.post("/v1/commands", key: key, headers: ["Idempotency-Key": id],
                                              body: #"{"command":"CreateTeam","name":"Team \#(id)"}"#) else { continue }
            if answer.status == 200 { answered.append(id) }
        }
        return answered
    }

    @Test func aSubscriberFromTheStartGetsEveryPositionOnceInOrderWhileOthersAppend() throws {
        let served = try ServedStore()
        let auditor = try served.key(actor: "u-audit", role: "auditor")
        let writer = try served.key(actor: "u-acme", role: "user")
        let feed = try FeedReader(served.http, path: "/v1/events?from=1", key: auditor)
        let http = served.http
        let cli = served.cli
        let url = served.url
        _ = try ClientThreads.run(5) { client in
            if client < 4 {
                _ = Self.appendTeams(http, key: writer, prefix: "c\(client)", count: 25)
                return
            }
            let lines = (0..<25).map { #"{"command":"CreateTeam","name":"CLI \#($0)"}"# }.joined(separator: "\n") + "\n"
            let result = try cli.run(["exec", "-", "--server", url, "--key", writer, "--batch-size", "5"], input: lines, withStore: false)
            #expect(result.status == 0, "\(result.stderr)")
        }
        let head = try #require(try served.http.get("/v1/status", key: auditor).json()["head"] as? [String: Any])["position"] as? Int
        let expected = try #require(head)
        let events = feed.events(count: expected, within: 60)
        #expect(events.map(\.id) == (1...UInt64(expected)).map { $0 })
        #expect(events.last.map { $0.data.contains("\"position\":\(expected)") } == true)
        try served.stop()
    }

    @Test func afterAKillUnderLoadEveryAnsweredCommandIsInTheLogOnceAndTheFeedResumesWithoutGapOrDuplicate() throws {
        let served = try ServedStore()
        let auditor = try served.key(actor: "u-audit", role: "auditor")
        let writer = try served.key(actor: "u-acme", role: "user")
        let startHead = try #require(try served.http.get("/v1/status", key: auditor).json()["head"] as? [String: Any])["position"] as? Int ?? 0
        let feed = try FeedReader(served.http, path: "/v1/events?from=1", key: auditor)
        let http = served.http
        let clients = ClientThreads.start(4) { client in Self.appendTeams(http, key: writer, prefix: "k\(client)", count: 400) }
        // Kill the server once it has answered some of them, mid-load.
        var seen = feed.events(count: startHead + 40, within: 60).map(\.id)
        #expect(seen.count == startHead + 40, "\(served.serverLog.suffix(3000))")
        try served.stop(SIGKILL)
        let answered = try clients.wait().flatMap { $0 }
        #expect(!answered.isEmpty, "\(served.serverLog.suffix(3000))")
        // What the feed had sent before the kill: positions 1, 2, 3, … without a gap.
        seen += feed.events(count: Int.max, within: 1).map(\.id)
        #expect(seen == Array(1...UInt64(seen.count)))
        let lastSeen = UInt64(seen.count)
        try served.start()
        let log = try served.cli.run(["log", "--type", "TeamCreated", "--format", "jsonl"]).jsonLines()
        let ids = log.compactMap { $0["commandId"] as? String }
        for id in answered { #expect(ids.filter { $0 == id }.count == 1, "\(id)") }
        #expect(Set(ids).count == ids.count)
        // The feed sent only durable events: the restarted log holds every one of them.
        let status = try served.http.get("/v1/status", key: auditor).json()
        let head = UInt64(try #require((status["head"] as? [String: Any])?["position"] as? Int))
        #expect(lastSeen <= head)
        // Resume after the last event seen before the kill; commands after the restart go live.
        let resumed = try FeedReader(served.http, path: "/v1/events", key: auditor, lastEventId: lastSeen)
        let more = Self.appendTeams(served.http, key: writer, prefix: "after", count: 5)
        #expect(more.count == 5)
        let expected = Array((lastSeen + 1)...(head + 10))
        #expect(resumed.events(count: expected.count, within: 30).map(\.id) == expected)
        try served.stop()
    }

    @Test func sigtermFinishesTheRequestsInFlight() throws {
        let served = try ServedStore()
        let writer = try served.key(actor: "u-acme", role: "user")
        let body = (0..<2_000).map { #"{"command":"CreateTeam","name":"Drain \#($0)"}"# }.joined(separator: "\n")
        // Send whole requests, then the signal, then read the answers.
        var sockets: [Int32] = []
        for _ in 0..<4 {
            let fd = try served.http.connect()
            let head = served.http.head("POST", "/v1/commands/batch", key: writer, headers: [:], bodyLength: body.utf8.count)
            try served.http.send(fd, Array(head.utf8) + Array(body.utf8))
            sockets.append(fd)
        }
        usleep(20_000)
        try #require(served.process.map { kill($0.processIdentifier, SIGTERM) } == 0)
        var okLines = 0
        for fd in sockets {
            let data = TestHTTP.readToEnd(fd)
            close(fd)
            let answer = try TestHTTP.parse(data)
            #expect(answer.status == 200)
            okLines += try answer.jsonLines().filter { $0["ok"] as? Bool == true }.count
        }
        #expect(okLines == 8_000)
        #expect(try served.stop() == 0)
        let teams = try served.cli.run(["log", "--type", "TeamCreated", "--format", "jsonl"]).jsonLines()
        #expect(teams.count >= 8_000)
    }
}
