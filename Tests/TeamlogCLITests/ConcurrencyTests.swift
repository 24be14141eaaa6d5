import Foundation
import Synchronization
import Testing

/// Several `teamlog` processes at once, writers and readers, some commands contending for the same
/// streams, ids, tokens and addresses: the result equals a serial run of the acknowledged commands in
/// log order, and readers only ever see whole commits.
@Suite struct ConcurrencyTests {
    /// A command sent by a writer and what became of it.
    struct Sent: Sendable {
        var json: String
        var commandId: String
        var ok: Bool
        var positions: [Int]?
    }

    static let writers = 4, rounds = 3

    /// Writer `w`'s commands in round `r`, every id given (so a serial run makes the same events): each
    /// batch runs as one process.
    static func batches(writer w: Int, round r: Int) -> [[String]] {
        let id = { (k: Int) in "w\(w)-r\(r)-\(k)" }
        return [
            // Disjoint: a new user and a message to them, in the writer's own thread.
            [#"{"command":"RegisterAccount","actor":"u-w\#(w)r\#(r)","userId":"u-w\#(w)r\#(r)","role":"provider","name":"W \#(w)","email":"w\#(w)r\#(r)@example.com","commandId":"\#(id(1))"}"#,
             #"{"command":"SendMessage","actor":"u-bob","recipientId":"u-w\#(w)r\#(r)","subject":"Hi","body":"Hello \#(w)","threadId":"th-w\#(w)r\#(r)","messageId":"m-\#(id(2))","commandId":"\#(id(2))"}"#],
            // Contended stream: everyone replies in the same thread.
            [#"{"command":"ReplyToThread","actor":"u-sam","threadId":"th-1","body":"Reply from \#(w) in round \#(r)","messageId":"m-\#(id(3))","commandId":"\#(id(3))"}"#],
            // Contended ids: one team id, one invitation id, one address for all writers: one wins each.
            [#"{"command":"CreateTeam","actor":"u-bob","teamId":"t-shared-\#(r)","name":"Shared \#(w)","commandId":"\#(id(4))"}"#,
             #"{"command":"InviteProviders","actor":"u-amy","emails":["shared\#(r)@example.com"],"invitationIds":["inv-shared-\#(r)"],"tokens":["k\#(w)"],"commandId":"\#(id(5))"}"#],
            [#"{"command":"AcceptInvitation","actor":"anonymous","token":"inv-shared-\#(r).k\#(w)","name":"Shared \#(w)","userId":"u-shared-\#(r)-\#(w)","commandId":"\#(id(6))"}"#,
             #"{"command":"RegisterAccount","actor":"u-x\#(w)r\#(r)","userId":"u-x\#(w)r\#(r)","role":"buyer","name":"X","email":"same\#(r)@example.com","commandId":"\#(id(7))"}"#,
             #"{"command":"InviteToTeam","actor":"u-acme","teamId":"t-acme","userId":"u-eve","invitationId":"ti-eve-\#(w)-\#(r)","commandId":"\#(id(8))"}"#],
            // Disjoint again: a job and an interview.
            [#"{"command":"PostJob","actor":"u-acme","jobId":"j-w\#(w)r\#(r)","title":"Job","description":"D","visibility":"private","commandId":"\#(id(9))"}"#,
             #"{"command":"RequestInterview","actor":"u-acme","jobId":"j-w\#(w)r\#(r)","providerId":"u-kim","message":"Talk?","interviewId":"iv-\#(id(10))","threadId":"th-\#(id(10))","messageId":"m-\#(id(10))","commandId":"\#(id(10))"}"#],
        ]
    }

    @Test(.timeLimit(.minutes(5)))
    func concurrentProcessesEqualASerialRunOfTheAcknowledgedCommands() throws {
        let cli = try BadInputFixture.store()
        let sent = Mutex([Sent]())
        let failures = Mutex([String]())
        let snapshots = Mutex([[[String: Any]]]())
        let checkpoints = Mutex([[Int]]())
        let writing = Atomic(Self.writers)
        let queryCount = Atomic(0)
        // One thread per process, all at once (not a pool the size of the machine's cores).
        let group = DispatchGroup()
        for worker in 0..<(Self.writers + 2) {
            group.enter()
            Thread {
            defer { group.leave() }
            do {
                if worker < Self.writers {
                    defer { writing.subtract(1, ordering: .relaxed) }
                    for round in 0..<Self.rounds {
                        for batch in Self.batches(writer: worker, round: round) {
                            let result = try cli.run(["exec", "-", "--lock-timeout", "60"], input: batch.joined(separator: "\n"))
                            guard [0, 2, 75].contains(result.status) else {
                                failures.withLock { $0.append("exec exited \(result.status): \(result.stderr)") }
                                continue
                            }
                            let lines = result.status == 75 ? [] : try result.jsonLines()
                            for (index, json) in batch.enumerated() {
                                let line = lines.first { $0["line"] as? Int == index + 1 }
                                let commandId = (try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])?["commandId"] as? String ?? ""
                                sent.withLock { $0.append(Sent(json: json, commandId: commandId, ok: line?["ok"] as? Bool == true,
                                                                positions: line?["positions"] as? [Int])) }
                            }
                        }
                    }
                } else {
                    while writing.load(ordering: .relaxed) > 0 {
                        let log = try cli.run(["log", "--format", "jsonl"])
                        let sql = try cli.run(["sql", "--format", "csv", Self.checkpointQuery])
                        for result in [log, sql] where ![0, 75].contains(result.status) {
                            failures.withLock { $0.append("a query exited \(result.status): \(result.stderr)") }
                        }
                        if log.status == 0 { snapshots.withLock { $0.append((try? log.jsonLines()) ?? []) } }
                        if sql.status == 0 { checkpoints.withLock { $0.append(sql.lines.dropFirst().compactMap { Int($0) }) } }
                        queryCount.add(2, ordering: .relaxed)
                    }
                }
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
            }.start()
        }
        group.wait()
        let queries = queryCount.load(ordering: .relaxed)
        #expect(failures.withLock { $0 } == [])
        #expect(try cli.run(["verify"]).status == 0)

        // Every acknowledged command is in the log once, where it was acknowledged; every other one is absent.
        let events = try cli.ok(["log", "--format", "jsonl"]).jsonLines()
        var commits: [String: (first: Int, last: Int)] = [:]
        var commitsPerId: [String: Set<Int>] = [:]
        var commitEnds: Set<Int> = [0]
        for (index, event) in events.enumerated() {
            guard let position = event["position"] as? Int, let commit = event["commitPosition"] as? Int else { continue }
            if let id = event["commandId"] as? String {
                commits[id] = (commits[id]?.first ?? commit, position)
                commitsPerId[id, default: []].insert(commit)
            }
            let next = index + 1 < events.count ? events[index + 1]["commitPosition"] as? Int : nil
            if next != commit { commitEnds.insert(position) }
        }
        #expect(commitsPerId.values.allSatisfy { $0.count == 1 }, "a command id is in two commits")
        let all = sent.withLock { $0 }
        #expect(all.count == Self.writers * Self.rounds * 10)
        let acknowledged = all.filter(\.ok).sorted { ($0.positions?.first ?? 0) < ($1.positions?.first ?? 0) }
        for command in all {
            if command.ok {
                let found = commits[command.commandId]
                #expect(found.map { [$0.first, $0.last] } == command.positions, "\(command.commandId) acknowledged at \(command.positions ?? []), in the log at \(String(describing: found))")
            } else {
                #expect(commits[command.commandId] == nil, "\(command.commandId) was refused but is in the log")
            }
        }
        // Contended ids: exactly one writer won each.
        for round in 0..<Self.rounds {
            #expect(acknowledged.filter { $0.json.contains("\"teamId\":\"t-shared-\(round)\"") }.count == 1)
            #expect(acknowledged.filter { $0.json.contains("\"token\":\"inv-shared-\(round).") }.count == 1)
            #expect(acknowledged.filter { $0.json.contains("same\(round)@example.com") }.count == 1)
        }

        // Readers saw whole commits only: each log they read is a prefix of the final one ending on a commit,
        // and every view's checkpoint is the end of a commit.
        for snapshot in snapshots.withLock({ $0 }) {
            let positions = snapshot.compactMap { $0["position"] as? Int }
            #expect(positions == Array(0..<positions.count).map { $0 + 1 }, "a reader saw positions that are not dense")
            #expect(commitEnds.contains(positions.last ?? 0), "a reader saw a log ending inside a commit at \(positions.last ?? 0)")
        }
        for seen in checkpoints.withLock({ $0 }) {
            #expect(seen.count == 7)
            #expect(seen.allSatisfy(commitEnds.contains), "a view's checkpoint \(seen) is inside a commit")
        }

        // A serial run of the story and the acknowledged commands, in log order, gives the same log and views.
        let serial = try CLI()
        let replay = try serial.run(["exec", try serial.file("serial.jsonl", BadInputFixture.story + "\n" + acknowledged.map(\.json).joined(separator: "\n"))])
        #expect(replay.status == 0, "\(replay.stderr)")
        let replayed = try replay.jsonLines().suffix(acknowledged.count)
        for (line, command) in zip(replayed, acknowledged) {
            #expect(line["positions"] as? [Int] == command.positions, "\(command.commandId) in the serial run: \(line)")
        }
        let serialLog = Self.withoutTimes(try serial.ok(["log", "--format", "jsonl", "--show-payload"]).jsonLines())
        let concurrentLog = Self.withoutTimes(try cli.ok(["log", "--format", "jsonl", "--show-payload"]).jsonLines())
        #expect(serialLog == concurrentLog, "first difference: \(zip(serialLog, concurrentLog).first { $0 != $1 }.map { "\($0)\n  vs \($1)" } ?? "the lengths")")
        for table in Self.tables {
            #expect(try serial.ok(["sql", "--format", "csv", table]).stdout == (try cli.ok(["sql", "--format", "csv", table]).stdout), "\(table)")
        }
        print("concurrency: \(Self.writers) writer processes at a time, \(all.count) commands (\(acknowledged.count) acknowledged), \(queries) queries beside them; equal to a serial run")
    }

    static let checkpointQuery = "SELECT position FROM main.projection_checkpoint UNION ALL "
        + ["team_roster", "affiliate_roster", "invitations", "jobs", "assignments", "users"]
            .map { "SELECT position FROM \($0).projection_checkpoint" }.joined(separator: " UNION ALL ")

    static let tables = [
        "SELECT thread_id, message_id, sender_id, body FROM inbox_messages ORDER BY position",
        "SELECT thread_id, user_id, message_count, unread_count FROM inbox_thread_summary ORDER BY thread_id, user_id",
        "SELECT team_id, user_id, role, via, status FROM team_members ORDER BY team_id, user_id",
        "SELECT invitation_id, kind, status, accepted_by FROM invitations ORDER BY invitation_id",
        "SELECT user_id, role, name, email FROM users ORDER BY user_id",
        "SELECT job_id, interview_count FROM jobs ORDER BY job_id",
    ]

    /// Log lines without what differs between two runs of the same commands.
    static func withoutTimes(_ lines: [[String: Any]]) -> [String] {
        lines.map { line in
            let kept = line.filter { !["recordedAt", "recordedAtMicros", "eventId"].contains($0.key) }
            let data = (try? JSONSerialization.data(withJSONObject: kept, options: [.sortedKeys])) ?? Data()
            return String(decoding: data, as: UTF8.self)
        }
    }
}
