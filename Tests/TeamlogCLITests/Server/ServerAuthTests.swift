import Foundation
import Testing

/// Who the actor is: API keys, roles and what each may do, over real HTTP.
@Suite(.serialized) struct ServerAuthTests {
    @Test func requestsWithoutAValidKeyAre401AndChangeNothing() throws {
        let served = try ServedStore()
        let key = try served.key(actor: "u-acme", role: "user")
        let before = try StoreSnapshot(served.cli.store + "/log")
        let body = #"{"command":"CreateTeam","name":"Nobody"}"#
        for presented in [nil, "", "tlk_nope", String(key.dropLast()) + (key.hasSuffix("A") ? "B" : "A"), key + "x", "Basic \(key)"] {
            var headers: [String: String] = [:]
            if let presented { headers["Authorization"] = presented.hasPrefix("Basic") ? presented : "Bearer \(presented)" }
            let answer = try served.http.post("/v1/commands", headers: headers, body: body)
            #expect(answer.status == 401, "\(presented ?? "none")")
            #expect(try answer.json()["code"] as? String == "unauthorized")
            #expect(!answer.text.contains(key))
        }
        #expect(try served.http.get("/v1/views/inbox/u-acme").status == 401)
        #expect(try served.http.get("/healthz").status == 200)
        #expect(try StoreSnapshot(served.cli.store + "/log") == before)
        #expect(!served.serverLog.contains(key))
        try served.stop()
    }

    @Test func aUserKeyActsOnlyAsItsUser() throws {
        let served = try ServedStore()
        let acme = try served.key(actor: "u-acme", role: "user")
        let own = try served.http.post("/v1/commands", key: acme, body: #"{"command":"CreateTeam","name":"Mine","teamId":"t-mine"}"#)
        #expect(own.status == 200)
        let log = try served.cli.run(["log", "--stream", "team-t-mine", "--format", "jsonl"]).jsonLines()
        #expect(log.first?["actor"] as? String == "u-acme")
        let before = try StoreSnapshot(served.cli.store + "/log")
        for actor in ["u-sam", "system"] {
            let other = try served.http.post("/v1/commands", key: acme, body: #"{"command":"CreateTeam","name":"Theirs","actor":"\#(actor)"}"#)
            #expect(other.status == 403, "\(actor)")
            #expect(try other.json()["code"] as? String == "forbidden")
        }
        let auditor = try served.key(actor: "u-audit", role: "auditor")
        #expect(try served.http.post("/v1/commands", key: auditor, body: #"{"command":"CreateTeam","name":"A","actor":"u-acme"}"#).status == 403)
        #expect(try StoreSnapshot(served.cli.store + "/log") == before)
        try served.stop()
    }

    @Test func onlyASystemKeyActsAsSystemAndAnOperatorActsOnBehalfOfAUser() throws {
        let served = try ServedStore()
        let system = try served.key(actor: "system", role: "system")
        let op = try served.key(actor: "u-ops", role: "operator")
        let asSystem = try served.http.post("/v1/commands", key: system, body: #"{"command":"ExpireInvitation","invitationId":"inv-none"}"#)
        #expect(asSystem.status != 401 && asSystem.status != 403, "\(asSystem.text)")
        #expect(try served.http.post("/v1/commands", key: op, body: #"{"command":"ExpireInvitation","actor":"system","invitationId":"inv-none"}"#).status == 403)
        let onBehalf = try served.http.post("/v1/commands", key: op, body: #"{"command":"CreateTeam","actor":"u-acme","name":"Ops","teamId":"t-ops"}"#)
        #expect(onBehalf.status == 200)
        let event = try served.cli.run(["log", "--stream", "team-t-ops", "--format", "jsonl"]).jsonLines().first
        #expect(event?["actor"] as? String == "u-acme")
        #expect((event?["principal"] as? String)?.hasPrefix("operator:u-ops:") == true)
        #expect(try served.http.post("/v1/commands", key: op, body: #"{"command":"CreateTeam","name":"No actor"}"#).status == 403)
        try served.stop()
    }

    @Test func aUserKeyReadsOnlyWhatItsUserMaySee() throws {
        let served = try ServedStore()
        let sam = try served.key(actor: "u-sam", role: "user")
        let expectations: [(String, Int)] = [
            ("/v1/views/inbox/u-sam", 200), ("/v1/views/inbox/u-amy", 403),
            ("/v1/views/teams/u-sam", 200), ("/v1/views/teams/u-acme", 403),
            ("/v1/views/team-roster/t-acme", 200), ("/v1/views/team-roster/t-none", 403),
            ("/v1/views/jobs", 200), ("/v1/views/users", 403),
            ("/v1/log", 403), ("/v1/sql?q=SELECT%201", 403), ("/v1/events", 403), ("/v1/status", 200),
        ]
        for (path, status) in expectations {
            #expect(try served.http.get(path, key: sam).status == status, "\(path)")
        }
        #expect(try served.http.post("/v1/verify", key: sam, body: "").status == 403)
        let auditor = try served.key(actor: "u-audit", role: "auditor")
        for (path, _) in expectations where !path.hasPrefix("/v1/events") {
            #expect(try served.http.get(path, key: auditor).status != 403, "\(path)")
        }
        try served.stop()
    }

    @Test func aRevokedKeyStopsWorkingWithoutARestart() throws {
        let served = try ServedStore()
        let key = try served.key(actor: "u-acme", role: "user")
        #expect(try served.http.get("/v1/views/inbox/u-acme", key: key).status == 200)
        let list = try served.cli.run(["keys", "list"])
        let keyId = try #require(list.lines.first { $0.contains("u-acme") }?.split(separator: " ").first.map(String.init))
        #expect(try served.cli.run(["keys", "revoke", keyId]).status == 0)
        usleep(1_100_000)
        #expect(try served.http.get("/v1/views/inbox/u-acme", key: key).status == 401)
        try served.stop()
    }
}
