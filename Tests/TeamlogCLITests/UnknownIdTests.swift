import Foundation
import Testing

/// An id the read models do not know is refused, naming it; a replay beyond the head names the head.
@Suite struct UnknownIdTests {
    @Test func anUnknownIdInAQueryExits66AndNamesWhatIsUnknown() throws {
        let cli = try QueryAndFormatTests.storyStore()
        let cases: [(arguments: [String], says: String)] = [
            (["team-roster", "t-x"], #"no team "t-x""#), (["mailing-list", "t-x"], #"no team "t-x""#),
            (["inbox", "u-x"], #"no user "u-x""#), (["teams", "u-x"], #"no user "u-x""#),
            (["affiliate-roster", "u-x"], #"no user "u-x""#), (["interviews", "j-x"], #"no job "j-x""#),
            (["assignment", "a-x"], #"no assignment "a-x""#), (["thread", "th-x"], #"no thread "th-x""#),
            (["user-assignments", "u-x"], #"no user "u-x""#), (["job-threads", "j-x"], #"no job "j-x""#),
            (["invitation", "inv-x"], #"no invitation "inv-x""#),
        ]
        for (arguments, says) in cases {
            let result = try cli.run(["query"] + arguments)
            #expect(result.status == 66, "\(arguments): \(result.status) \(result.stderr)")
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.hasPrefix("teamlog: error: \(says): check the id ("), "\(arguments): \(result.stderr)")
        }
        // Known ids answer as before, an empty answer included.
        try cli.ok(["query", "team-roster", "t-acme"])
        try cli.ok(["query", "inbox", "u-bob"])
        try cli.ok(["query", "interviews", "j-1"])
    }

    @Test func aReplayBeyondTheHeadIsRefusedNamingTheHead() throws {
        let cli = try QueryAndFormatTests.storyStore()
        let out = cli.root + "/replay.sqlite"
        let beyond = try cli.run(["replay", "--as-of", "100000", "--out", out])
        #expect(beyond.status == 64, "\(beyond.stderr)")
        #expect(beyond.stderr.hasPrefix("teamlog: error: position 100000 is beyond the log's head (position "), "\(beyond.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out) && !FileManager.default.fileExists(atPath: out + ".partial"))
        try cli.ok(["replay", "--as-of", "3", "--out", out])
    }
}
