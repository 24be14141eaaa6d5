import Foundation
import Testing

/// Output formats, the read-only SQL guard and the audit trail's filters.
@Suite struct QueryAndFormatTests {
    /// A store holding the seed cast, Acme's team and an interview thread.
    static func storyStore() throws -> CLI {
        let cli = try CLI()
        let story = SeedStoryTests.cast + "\n" + """
            {"command":"CreateTeam","actor":"u-acme","teamId":"t-acme","name":"Acme, \\"Contractors\\""}
            {"command":"InviteToTeam","actor":"u-acme","teamId":"t-acme","userId":"u-sam","role":"affiliatedContractor","invitationId":"ti-1"}
            {"command":"AcceptTeamInvitation","actor":"u-sam","teamId":"t-acme","invitationId":"ti-1"}
            {"command":"PostJob","actor":"u-acme","jobId":"j-1","title":"Bench","description":"Join us","visibility":"private","purpose":"affiliateRecruitment"}
            {"command":"RequestInterview","actor":"u-acme","jobId":"j-1","providerId":"u-sam","message":"Hello, Sam\\nSecond line","threadId":"th-1"}
            """
        try cli.ok(["exec", try cli.file("story.jsonl", story)])
        return cli
    }

    @Test func theThreeFormatsOfAQuery() throws {
        let cli = try Self.storyStore()
        let table = try cli.ok(["query", "team-roster", "t-acme"])
        #expect(table.lines.first == "members (2)")
        #expect(table.lines.contains { $0.hasPrefix("team_id") && $0.contains("role") && $0.contains("joined_at_micros") })
        #expect(table.lines.contains { $0.contains("u-sam") && $0.contains("affiliatedContractor") })
        #expect(table.stdout.contains("mailing_list (2)"))

        let json = try cli.ok(["query", "team-roster", "t-acme", "--format", "json"]).json() as? [String: Any]
        #expect((json?["members"] as? [[String: Any]])?.count == 2)

        let csv = try cli.ok(["query", "mailing-list", "t-acme", "--format", "csv"])
        #expect(csv.lines.first == "user_id,role,address")
        #expect(csv.lines.contains("u-sam,provider,u-sam@odesk.com"))

        // A multi-part view in CSV: each part after a `# part` line.
        let inbox = try cli.ok(["query", "inbox", "u-sam", "--format", "csv"])
        #expect(inbox.lines.first == "# threads")
        #expect(inbox.stdout.contains("# messages"))
        // Fields with commas, quotes and newlines are quoted (RFC 4180).
        #expect(inbox.stdout.contains("\"Hello, Sam\nSecond line\""))
        let teams = try cli.ok(["query", "teams", "u-sam", "--format", "csv"])
        #expect(teams.stdout.contains("\"Acme, \"\"Contractors\"\"\""))
    }

    @Test func everyViewAnswers() throws {
        let cli = try Self.storyStore()
        let views: [[String]] = [["inbox", "u-sam"], ["team-roster", "t-acme"], ["mailing-list", "t-acme"], ["teams", "u-sam"],
                                 ["affiliate-roster", "u-amy"], ["jobs"], ["interviews", "j-1"],
                                 ["users", "--role", "provider"], ["invitations", "--kind", "team"]]
        for view in views {
            let result = try cli.run(["query"] + view + ["--format", "json"])
            #expect(result.status == 0, "\(view): \(result.stderr)")
            #expect((try? result.json()) != nil, "\(view) is not JSON")
        }
        let providers = try cli.ok(["query", "users", "--role", "provider", "--format", "json"]).json() as? [[String: Any]]
        #expect(providers?.compactMap { $0["user_id"] as? String } == ["u-sam"])
    }

    @Test func sqlRunsReadOnlyStatementsAndRefusesWrites() throws {
        let cli = try Self.storyStore()
        let result = try cli.ok(["sql", "SELECT user_id FROM team_members WHERE team_id = 't-acme' ORDER BY user_id", "--format", "csv"])
        #expect(result.lines == ["user_id", "u-acme", "u-sam"])
        let joined = try cli.ok(["sql", "SELECT count(*) AS n FROM users JOIN team_members USING (user_id)", "--format", "json"])
        #expect(joined.stdout == "[{\"n\":2}]\n")
        let refused = [
            "INSERT INTO users (user_id) VALUES ('x')",
            "UPDATE users SET name = 'x'",
            "DELETE FROM users",
            "ATTACH DATABASE '\(cli.root)/other.sqlite' AS other",
            "PRAGMA user_version = 7",
            "DROP TABLE users",
            "WITH x AS (SELECT 1) DELETE FROM users",
            "SELECT 1; DELETE FROM users",
            "/* comment */ delete from users",
        ]
        try cli.expectSQLRefused(refused) { $0.contains("read-only") || $0.contains("Multiple statements") }
        #expect(!FileManager.default.fileExists(atPath: cli.root + "/other.sqlite"))
        let users = try cli.ok(["sql", "SELECT count(*) AS n FROM users", "--format", "csv"])
        #expect(users.lines == ["n", "5"])
    }

    @Test func theAuditTrailFilters() throws {
        let cli = try Self.storyStore()
        let all = try cli.ok(["log", "--format", "jsonl"]).jsonLines()
        #expect(all.map { $0["position"] as? Int } == Array(1...all.count).map { $0 })
        // By type and actor.
        let sam = try cli.ok(["log", "--actor", "u-sam", "--type", "TeamMemberAdded", "--format", "jsonl"]).jsonLines()
        #expect(sam.count == 1)
        #expect(sam.first?["stream"] as? String == "team-t-acme")
        // By position range.
        let range = try cli.ok(["log", "--from", "3", "--to", "5", "--format", "jsonl"]).jsonLines()
        #expect(range.map { $0["position"] as? Int } == [3, 4, 5])
        // By time: everything is after 2000 and nothing before it.
        #expect(try cli.ok(["log", "--since", "2000-01-01", "--format", "jsonl"]).lines.count == all.count)
        #expect(try cli.ok(["log", "--until", "2000-01-01T00:00:00Z", "--format", "jsonl"]).lines.isEmpty)
        // The last N.
        let last = try cli.ok(["log", "--last", "2", "--format", "jsonl"]).jsonLines()
        #expect(last.map { $0["position"] as? Int } == [all.count - 1, all.count])
        // Personal data only when asked for: no address streams, no payloads.
        let table = try cli.ok(["log"])
        #expect(table.lines.first?.hasPrefix("position") == true)
        #expect(!table.stdout.contains("sam@example.net"))
        #expect(!table.stdout.contains("Hello, Sam"))
        let payloads = try cli.ok(["log", "--type", "MessageSent", "--show-payload", "--format", "jsonl"]).jsonLines()
        #expect((payloads.first?["payload"] as? [String: Any])?["body"] as? String == "Hello, Sam\nSecond line")
    }

    /// Every time the tool prints, fed back to `--since`, `--until` and `replay --as-of`, selects by the same
    /// microsecond: events recorded at or before it, or at or after it, and never one more or one less.
    @Test func everyPrintedTimeSelectsByTheMicrosecond() throws {
        let cli = try Self.storyStore()
        let all = try cli.ok(["log", "--format", "jsonl"]).jsonLines()
        let times = all.compactMap { event -> (position: Int, text: String, micros: Int64)? in
            guard let position = event["position"] as? Int, let text = event["recordedAt"] as? String,
                  let micros = (event["recordedAtMicros"] as? NSNumber)?.int64Value else { return nil }
            return (position, text, micros)
        }
        #expect(times.count == all.count)
        for time in times {
            let until = try cli.ok(["log", "--until", time.text, "--format", "jsonl"]).jsonLines().compactMap { $0["position"] as? Int }
            #expect(until == times.filter { $0.micros <= time.micros }.map(\.position), "--until \(time.text)")
            let since = try cli.ok(["log", "--since", time.text, "--format", "jsonl"]).jsonLines().compactMap { $0["position"] as? Int }
            #expect(since == times.filter { $0.micros >= time.micros }.map(\.position), "--since \(time.text)")
        }
        for time in [times.first, times.dropFirst(times.count / 2).first, times.last].compactMap({ $0 }) {
            let expected = times.filter { $0.micros <= time.micros }.map(\.position).max() ?? 0
            let replay = try cli.ok(["replay", "--as-of", time.text, "--out", cli.root + "/as-of.sqlite", "--overwrite"])
            #expect(replay.stdout.contains("the views at position \(expected) "), "replay --as-of \(time.text): \(replay.stdout)")
        }
    }

    /// The audit trail's JSON Lines are exact JSON whatever the text holds, with ISO timestamps that
    /// match the microseconds and lowercase event ids.
    @Test func theAuditTrailsJSONLinesAreExactJSON() throws {
        let cli = try Self.storyStore()
        let body = "a \"quoted\" word, a back\\slash, a\ttab, a bell \u{07}, a line\nbreak, caf\u{E9} \u{1F600}"
        let command: [String: Any] = ["command": "ReplyToThread", "actor": "u-sam", "threadId": "th-1", "body": body]
        let line = String(decoding: try JSONSerialization.data(withJSONObject: command), as: UTF8.self)
        try cli.ok(["exec", try cli.file("reply.jsonl", line)])
        let events = try cli.ok(["log", "--show-payload", "--format", "jsonl"]).jsonLines()
        #expect(events.count > 10)
        let reply = try #require(events.last)
        #expect((reply["payload"] as? [String: Any])?["body"] as? String == body)
        let iso = DateFormatter()
        iso.locale = Locale(identifier: "en_US_POSIX")
        iso.timeZone = TimeZone(identifier: "UTC")
        iso.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        for event in events {
            let micros = try #require(event["recordedAtMicros"] as? Int)
            let expected = iso.string(from: Date(timeIntervalSince1970: Double(micros / 1_000_000)))
                + "." + String(format: "%06d", micros % 1_000_000) + "Z"
            #expect(event["recordedAt"] as? String == expected)
            let id = try #require(event["eventId"] as? String)
            #expect(id == id.lowercased() && UUID(uuidString: id) != nil && id.count == 36, "\(id)")
        }
        // Result lines escape what their messages quote.
        let refused = try cli.run(["exec", try cli.file("bad.jsonl", #"{"command":"ShareContactDetails","actor":"u-sam","threadId":"th-1","kind":"personal"}"#)])
        let result = try #require(try JSONSerialization.jsonObject(with: Data(refused.stdout.utf8)) as? [String: Any], "\(refused.stdout)")
        #expect((result["error"] as? String)?.contains(#"kind "marketplaceAddress""#) == true, "\(refused.stdout)")
        // Payloads with characters JSON must escape come out exact too.
        let team = try cli.ok(["log", "--type", "TeamCreated", "--show-payload", "--format", "jsonl"]).jsonLines()
        #expect((team.first?["payload"] as? [String: Any])?["name"] as? String == "Acme, \"Contractors\"")
    }

    @Test func statusAndStatsReportTheLogAndViews() throws {
        let cli = try Self.storyStore()
        try cli.ok(["query", "users"])
        let status = try cli.ok(["status", "--format", "json"]).json() as? [String: Any] ?? [:]
        let head = (status["head"] as? [String: Any])?["position"] as? Int ?? 0
        #expect(head > 10)
        let views = status["views"] as? [[String: Any]] ?? []
        #expect(views.map { $0["name"] as? String } == ["inbox", "team_roster", "affiliate_roster", "invitations", "jobs", "assignments", "users", "outbox"])
        #expect(views.first { $0["name"] as? String == "users" }?["lag"] as? Int == 0)
        let table = try cli.ok(["status"])
        #expect(table.stdout.contains("log head: position \(head)"))
        let stats = try cli.ok(["stats", "--format", "json"]).json() as? [String: Any] ?? [:]
        #expect(stats["events"] as? Int == head)
        #expect((stats["events_per_type"] as? [String: Any])?["AccountRegistered"] as? Int == 5)
        #expect(try cli.ok(["stats"]).stdout.contains("compression_ratio"))
    }
}
