import Foundation
import Testing

/// What a client cannot do to the server or to the other clients: hold connections by sending slowly,
/// or write the store behind the server's back.
@Suite(.serialized) struct ServerLimitsTests {
    @Test func slowClientsAreCutOffAndDoNotStarveTheOthers() throws {
        let served = try ServedStore()
        let key = try served.key(actor: "u-acme", role: "user")
        // Twenty clients that open a request and never finish its head (slow loris).
        var slow: [Int32] = []
        for _ in 0..<20 {
            let fd = try served.http.connect()
            try served.http.send(fd, Array("GET /v1/views/inbox/u-acme HTTP/1.1\r\nHost: x\r\nX-Slow: ".utf8))
            slow.append(fd)
        }
        defer { slow.forEach { close($0) } }
        // The others are served meanwhile.
        let started = Date()
        #expect(try served.http.get("/v1/views/inbox/u-acme", key: key).status == 200)
        #expect(Date().timeIntervalSince(started) < 5)
        // Past the head deadline (10 s), the server has closed every slow connection.
        usleep(11_500_000)
        for fd in slow {
            var timeout = timeval(tv_sec: 2, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            var byte: UInt8 = 0
            #expect(recv(fd, &byte, 1, 0) <= 0)
        }
        try served.stop()
    }

    @Test func aWriteCommandOnAServedStoreSaysWhereToSendItAndChangesNothing() throws {
        let served = try ServedStore()
        let before = try StoreSnapshot(served.cli.store + "/log")
        let result = try served.cli.run(["create-team", "--actor", "u-acme", "--name", "Behind its back", "--lock-timeout", "0.2"])
        #expect(result.status == 75)
        #expect(result.stderr.contains("served by `teamlog serve` at \(served.url)"), "\(result.stderr)")
        #expect(result.stderr.contains("--server") || result.stderr.contains("/v1/commands"))
        #expect(try StoreSnapshot(served.cli.store + "/log") == before)
        // Reads keep working beside the server.
        #expect(try served.cli.run(["query", "team-roster", "t-acme"]).status == 0)
        try served.stop()
    }

    @Test func aDamagedCommandIdRegistryIsSetAsideAndTheServerServes() throws {
        let served = try ServedStore()
        let key = try served.key(actor: "u-acme", role: "user")
        let first = try served.http.post("/v1/commands", key: key, headers: ["Idempotency-Key": "before"], body: #"{"command":"CreateTeam","name":"Before"}"#)
        #expect(first.status == 200)
        try served.stop(SIGKILL)
        let registry = served.cli.store + "/server/command-ids.sqlite"
        // Replaced whole: its write-ahead log goes too (else SQLite reads the pages from there).
        for suffix in ["-wal", "-shm"] { unlink(registry + suffix) }
        FileManager.default.createFile(atPath: registry, contents: Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31) }))
        try served.start()
        #expect(served.serverLog.contains("was damaged"))
        let moved = try FileManager.default.contentsOfDirectory(atPath: served.cli.store + "/server").filter { $0.contains(".damaged-") }
        #expect(moved.count == 1)
        // The retry still gets the first result (the log knows the id), and new commands are served.
        let retry = try served.http.post("/v1/commands", key: key, headers: ["Idempotency-Key": "before"], body: #"{"command":"CreateTeam","name":"Before"}"#)
        #expect(retry.status == 200)
        #expect(try retry.json()["positions"] as? [Int] == (try first.json()["positions"] as? [Int]))
        #expect(try served.http.post("/v1/commands", key: key, body: #"{"command":"CreateTeam","name":"After"}"#).status == 200)
        try served.stop()
    }
}
