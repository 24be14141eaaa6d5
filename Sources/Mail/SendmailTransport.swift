import Foundation

/// The system's sendmail interface (`sendmail -i -f FROM -- RECIPIENT`, the message on standard input),
/// as Postfix, Exim and msmtp provide it.
///
/// Exit 0 is accepted. The sysexits that say the email itself cannot be delivered (EX_DATAERR 65,
/// EX_NOUSER 67, EX_NOHOST 68) refuse it for good; any other exit defers it (EX_TEMPFAIL 75, a mail
/// system being set up), and a missing program, a signal or a time-out is unreachable: nothing is lost.
public struct SendmailTransport: MailTransport {
    public var path: String
    public var timeoutSeconds: Double

    public init(path: String = "/usr/sbin/sendmail", timeoutSeconds: Double = 60) {
        self.path = path
        self.timeoutSeconds = timeoutSeconds
    }

    public var name: String { "sendmail:\(path)" }

    public func send(_ email: OutgoingEmail) async throws(MailError) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["-i", "-f", email.from, "--", email.recipient]
        let input = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw .unreachable("\(path) cannot be started: \(error.localizedDescription)")
        }
        // The message (LF line ends, as sendmail expects on its input), then end of input.
        let text = email.text.replacingOccurrences(of: "\r\n", with: "\n")
        try? input.fileHandleForWriting.write(contentsOf: Data(text.utf8))
        try? input.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while process.isRunning {
            if Date() > deadline {
                process.terminate()
                process.waitUntilExit()
                throw .unreachable("\(path) did not finish within \(Int(timeoutSeconds)) s")
            }
            try? await Task.sleep(nanoseconds: 10_000_000)
        }
        let said = String(decoding: (try? errors.fileHandleForReading.readToEnd()) ?? Data(), as: UTF8.self)
            .split(whereSeparator: \.isNewline).first.map { ": " + $0.prefix(300) } ?? ""
        switch (process.terminationReason, process.terminationStatus) {
        case (.exit, 0): return
        case (.exit, let status) where [65, 67, 68].contains(status):
            throw .refused("\(path) refused the email (exit \(status))\(said)")
        case (.exit, let status):
            throw .deferred("\(path) failed (exit \(status))\(said)")
        case (_, let signal):
            throw .unreachable("\(path) was stopped by signal \(signal)")
        }
    }
}
