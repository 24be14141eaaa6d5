import Foundation
import Testing

/// The progress bar: drawn with rate and ETA on a terminal, absent in a pipe.
@Suite struct ProgressTests {
    static func commands(_ count: Int) -> String {
        (1...count).map { i in
            #"{"command":"RegisterAccount","actor":"u-\#(i)","userId":"u-\#(i)","role":"provider","name":"User \#(i)","email":"user\#(i)@example.com"}"#
        }.joined(separator: "\n")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func execDrawsAProgressBarOnATerminal() throws {
        let cli = try CLI()
        let file = try cli.file("many.jsonl", Self.commands(600))
        // `script` runs the command on a pseudo-terminal and copies what it shows to our pipe.
        let shown = try cli.run(["-qec", "\(CLI.binary) exec \(file) --batch-size 50 --store \(cli.store) > /dev/null", "/dev/null"],
                                withStore: false, executable: "/usr/bin/script")
        #expect(shown.status == 0)
        #expect(shown.stdout.contains("exec ["))
        #expect(shown.stdout.contains("commands"))
        #expect(shown.stdout.contains("/s"))
        #expect(shown.stdout.contains("ETA"))
    }

    @Test func execPrintsNothingExtraInAPipe() throws {
        let cli = try CLI()
        let result = try cli.run(["exec", try cli.file("many.jsonl", Self.commands(300)), "--batch-size", "20"])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        #expect(result.lines.count == 300)
    }
}
