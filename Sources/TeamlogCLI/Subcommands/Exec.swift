import Application
import ArgumentParser
import Marketplace

/// `teamlog exec FILE`: runs commands given as JSON Lines, each atomically, one result line per command.
struct Exec: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run commands from a JSON Lines file (- for standard input), one result line each.",
        usage: "teamlog exec <file> [--stop-on-error] [--batch-size <n>] [<options>]",
        discussion: """
            Each line is one command in its JSON form (docs/EVENTS.md; `teamlog <command>
            --print-json` prints a command's), e.g.
              {"command":"CreateTeam","actor":"u-acme","teamId":"t-acme","name":"Acme"}
            Blank lines and lines starting with # are skipped. Each command is applied
            atomically on its own; commands are decided in order and written in batches
            (one durable write per batch); the next batch is read and decided while the
            previous one is being written. A result line is printed only once its command
            is on disk.

            For each command, one line on standard output:
              {"line":3,"ok":true,"positions":[12,14],"events":[...],"streams":[...]}
              {"line":4,"ok":false,"code":"notPermitted","error":"..."}
            The exit code is 0 when every command succeeded, else that of the first
            failure (2 for a rejection), and standard error names the first failure and
            counts them.

            Examples:
              teamlog exec story.jsonl
              cat story.jsonl | teamlog exec - --stop-on-error
            """)

    @OptionGroup var storeOptions: StoreOptions

    @OptionGroup var serverOptions: ServerOptions

    @Argument(help: ArgumentHelp("A JSON Lines file of commands, or - for standard input.", valueName: "file"))
    var file: String

    @Flag(help: "Stop at the first command that fails (commands are then written one at a time).")
    var stopOnError = false

    @Option(help: ArgumentHelp("Commands per durable write.", valueName: "n"))
    var batchSize = 1_000

    mutating func validate() throws {
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1.") }
    }

    func run() throws {
        let reader = try LineReader(path: file)
        let forwarder = serverOptions.forwarder
        let execution = forwarder == nil ? try Store(storeOptions).openCommandExecution() : nil
        defer { execution?.checkpoint() }
        let progress = ProgressBar("exec", unit: "commands")
        defer { progress.finish() }
        let limit = stopOnError ? 1 : batchSize
        var firstError: (line: Int, error: ApplicationError)?
        var failures = 0
        var commands: UInt64 = 0
        var batch: [CommandExecution.Item] = []
        var forwarded: [(line: Int, bytes: [UInt8])] = []
        var lineNumber = 0
        var stopped = false

        func report(_ outcomes: [CommandExecution.Outcome]) {
            for outcome in outcomes where !stopped {
                StandardStreams.out(outcome.jsonLine)
                commands += 1
                if let error = outcome.error {
                    failures += 1
                    if firstError == nil { firstError = (outcome.line, error) }
                    if stopOnError { stopped = true }
                }
            }
            StandardStreams.flush()
            progress.update(done: reader.bytesConsumed, total: reader.totalBytes, rateDone: commands)
        }

        /// Sends the batch. Batches are pipelined (the next is read and decided while this one is written)
        /// unless no more input is ready (whoever is typing gets their results now) or the run stops at
        /// the first error (the next batch must not be decided before this one's results are known).
        func flush(waitForResults: Bool) throws(ApplicationError) {
            if let forwarder {
                report(try forwarder.run(forwarded))
                forwarded.removeAll(keepingCapacity: true)
                return
            }
            guard let execution else { return }
            if !batch.isEmpty {
                report(try stopOnError ? execution.run(batch, includeLine: true) : execution.submit(batch, includeLine: true))
                batch.removeAll(keepingCapacity: true)
            }
            if waitForResults { report(try execution.complete()) }
        }

        while !stopped, let line = try reader.nextLine() {
            lineNumber += 1
            let trimmed = line.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
            if trimmed.isEmpty || trimmed.first == UInt8(ascii: "#") { continue }
            if forwarder != nil {
                // The server parses the line as exec would: send it as it is.
                forwarded.append((lineNumber, line))
            } else {
                let envelope = Result { () throws(CommandRejection) in try CommandEnvelope.parse(jsonBytes: line) }
                batch.append(CommandExecution.Item(line: lineNumber, envelope: envelope))
            }
            if batch.count + forwarded.count >= limit || !reader.hasBufferedOrReadyInput {
                try flush(waitForResults: !reader.hasBufferedOrReadyInput)
            }
        }
        if !stopped { try flush(waitForResults: true) }
        if let firstError {
            // The result lines say what happened to each command; standard error says that something failed.
            progress.finish()
            StandardStreams.err("teamlog: error: \(failures) command(s) failed; the first, on line \(firstError.line): \(firstError.error.message)")
            throw ExitCode(firstError.error.status.rawValue)
        }
    }
}
