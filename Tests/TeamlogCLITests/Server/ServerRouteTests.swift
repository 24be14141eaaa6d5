import Foundation
import Projections
import Testing

/// Each route of `teamlog serve`, over real HTTP on loopback, success and failure shapes.
@Suite(.serialized) struct ServerRouteTests {
    static func createTeam(_ name: String, actor: String? = nil, teamId: String? = nil) -> String {
        var fields = [#""command":"CreateTeam""#, #""name":"\#(name)""#]
        if let actor { fields.append(#""actor":"\#(actor)""#) }
        if let teamId { fields.append(#""teamId":"\#(teamId)""#) }
        return "{" + fields.joined(separator: ",") + "}"
    }

    @Test func aCommandIsAnsweredWithItsResultOnceDurable() throws {
        let served = try ServedStore()
        let key = try served.key(actor: "u-acme", role: "user")
        let before = try StoreSnapshot(served.cli.store + "/log")
        let answer = try served.http.post("/v1/commands", key: key, body: Self.createTeam("Route Team", teamId: "t-route"))
        #expect(answer.status == 200)
        #expect(answer.headers["content-type"] == "application/json")
        let result = try answer.json()
        #expect(result["ok"] as? Bool == true)
        #expect(result["events"] as? [String] == ["TeamCreated", "TeamMemberAdded"])
        #expect(result["streams"] as? [String] == ["team-t-route"])
        let positions = try #require(result["positions"] as? [Int])
        // Durable: the log on disk holds the commit, read by another process.
        let log = try served.cli.run(["log", "--stream", "team-t-route", "--format", "jsonl"])
        #expect(try log.jsonLines().map { $0["position"] as? Int } == [positions[0], positions[1]])
        #expect(try StoreSnapshot(served.cli.store + "/log") != before)
        try served.stop()
    }

    @Test func errorsAreProblemDocumentsWithTheirStatusAndLeaveTheLogUnchanged() throws {
        let served = try ServedStore()
        let key = try served.key(actor: "u-acme", role: "user")
        _ = try served.http.post("/v1/commands", key: key, body: Self.createTeam("Taken", teamId: "t-taken"))
        let before = try StoreSnapshot(served.cli.store + "/log")
        let cases: [(String, String, Int, String)] = [
            ("/v1/commands", #"{"command":"CreateTeam""#, 400, "malformed"),
            ("/v1/commands", #"{"command":"NoSuchCommand"}"#, 400, "malformed"),
            ("/v1/commands", #"{"command":"CreateTeam","name":"x","colour":"red"}"#, 400, "malformed"),
            ("/v1/commands", Self.createTeam("Again", teamId: "t-taken"), 422, "alreadyExists"),
            ("/v1/commands", String(repeating: " ", count: 2 << 20), 413, "tooLarge"),
        ]
        for (path, body, status, code) in cases {
            let answer = try served.http.post(path, key: key, body: body)
            #expect(answer.status == status, "\(body.prefix(60)): \(answer.text.prefix(200))")
            #expect(answer.headers["content-type"] == "application/problem+json")
            let problem = try answer.json()
            #expect(problem["status"] as? Int == status)
            #expect(problem["code"] as? String == code)
            #expect((problem["detail"] as? String)?.isEmpty == false)
        }
        #expect(try served.http.get("/v1/no-such-route", key: key).status == 404)
        let unknownView = try served.http.get("/v1/views/no-such-view/x", key: key)
        #expect(unknownView.status == 404)
        #expect(try unknownView.json()["code"] as? String == "notFound")
        #expect(try served.http.get("/v1/views/inbox", key: key).status == 400)
        #expect(try StoreSnapshot(served.cli.store + "/log") == before)
        try served.stop()
    }

    @Test func aBatchAnswersEachLineAndEachCommandIsAtomic() throws {
        let served = try ServedStore()
        let key = try served.key(actor: "u-acme", role: "user")
        let body = [Self.createTeam("B1"), "", "# a comment", "not json", Self.createTeam("B2", teamId: "t-acme"), Self.createTeam("B3")]
            .joined(separator: "\n")
        let answer = try served.http.post("/v1/commands/batch", key: key, body: body)
        #expect(answer.status == 200)
        let lines = try answer.jsonLines()
        #expect(lines.map { $0["line"] as? Int } == [1, 4, 5, 6])
        #expect(lines.map { $0["ok"] as? Bool } == [true, false, false, true])
        #expect(lines[1]["status"] as? Int == 400)
        #expect(lines[2]["code"] as? String == "alreadyExists")
        try served.stop()
    }

    @Test func viewsLogStatusAndOperationsAnswerAsTheCLIDoes() throws {
        let served = try ServedStore()
        let auditor = try served.key(actor: "u-audit", role: "auditor")
        let roster = try served.http.get("/v1/views/team-roster/t-acme", key: auditor)
        #expect(roster.status == 200)
        let cliRoster = try served.cli.run(["query", "team-roster", "t-acme", "--format", "json"])
        #expect(roster.text.trimmingCharacters(in: .whitespacesAndNewlines) == cliRoster.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        let jobs = try served.http.get("/v1/views/jobs?postedBy=u-acme", key: auditor)
        #expect(jobs.status == 200)
        #expect(try served.http.get("/v1/views/jobs?postedBy=u-acme&colour=red", key: auditor).status == 400)

        let page = try served.http.get("/v1/log?limit=5&from=2", key: auditor).json()
        let events = try #require(page["events"] as? [[String: Any]])
        #expect(events.map { $0["position"] as? Int } == [2, 3, 4, 5, 6])
        #expect(page["next"] as? Int == 7)
        #expect(events.allSatisfy { $0["payload"] == nil })
        #expect(try served.http.get("/v1/log?since=yesterday", key: auditor).status == 400)

        let sql = try served.http.get("/v1/sql?q=SELECT%20count(*)%20AS%20n%20FROM%20users", key: auditor)
        #expect(sql.status == 200)
        #expect(try served.http.get("/v1/sql?q=DELETE%20FROM%20users", key: auditor).status == 400)

        let status = try served.http.get("/v1/status", key: auditor).json()
        #expect((status["views"] as? [Any])?.count == ReadModels.all.count)
        let verify = try served.http.post("/v1/verify", key: auditor, body: "").jsonLines()
        #expect(verify.last?["ok"] as? Bool == true)

        #expect(try served.http.get("/healthz").status == 200)
        #expect(try served.http.get("/readyz").status == 200)
        let metrics = try served.http.get("/metrics").text
        #expect(metrics.contains("teamlog_http_request_seconds"))
        let openapi = try served.http.get("/v1/openapi.json").json()
        #expect(openapi["openapi"] as? String == "3.1.0")
        try served.stop()
    }

    @Test func concurrentRetriesOfOneCommandIdApplyItOnceAndAllGetTheFirstResult() throws {
        let served = try ServedStore()
        let key = try served.key(actor: "u-acme", role: "user")
        let http = served.http
        let body = Self.createTeam("Retried")
        let answers = try ClientThreads.run(16) { _ in
            try http.post("/v1/commands", key: key, headers: ["Idempotency-Key": "retry-1"], body: body)
        }
        #expect(answers.allSatisfy { $0.status == 200 })
        let results = try answers.map { try $0.json() }
        let positions = Set(results.compactMap { $0["positions"] as? [Int] })
        #expect(positions.count == 1)
        #expect(results.allSatisfy { ($0["events"] as? [String]) == ["TeamCreated", "TeamMemberAdded"] })
        #expect(results.filter { $0["duplicate"] == nil }.count == 1)
        // The generated team id comes back in every answer, the retries' too.
        let streams = Set(results.compactMap { $0["streams"] as? [String] })
        #expect(streams.count == 1 && streams.first?.contains { $0.hasPrefix("team-") } == true)
        let log = try StoreSnapshot(served.cli.store + "/log")
        let retry = try http.post("/v1/commands", key: key, headers: ["Idempotency-Key": "retry-1"], body: body)
        #expect(try retry.json()["streams"] as? [String] == streams.first)
        #expect(try StoreSnapshot(served.cli.store + "/log") == log)
        let commits = try served.cli.run(["log", "--type", "TeamCreated", "--format", "jsonl"]).jsonLines()
            .filter { $0["commandId"] as? String == "retry-1" }
        #expect(commits.count == 1)
        let reused = try http.post("/v1/commands", key: key, headers: ["Idempotency-Key": "retry-1"], body: Self.createTeam("Other"))
        #expect(reused.status == 422)
        #expect(try reused.json()["code"] as? String == "commandIdReused")
        #expect((try reused.json()["detail"] as? String)?.contains("fresh command id") == true)
        #expect(try StoreSnapshot(served.cli.store + "/log") == log)
        try served.stop()
    }
}
