import EventLog
import Foundation
import Marketplace
import Projections

/// An error the tool reports: a message (never quoting personal data) and the exit status it ends with.
struct CLIError: Error, Sendable, CustomStringConvertible {
    var status: ExitStatus
    var message: String

    init(_ status: ExitStatus, _ message: String) {
        self.status = status
        self.message = message
    }

    var description: String { message }

    /// Classifies any error the modules throw by the exit status it deserves, keeping their message.
    init(_ error: any Error) {
        switch error {
        case let error as CLIError: self = error
        case let error as EventLogError: self = CLIError(log: error)
        case let error as MarketplaceError: self = CLIError(market: error)
        case let error as ProjectionError: self = CLIError(projection: error)
        case let error as CommandRejection: self = CLIError(.rejected, error.description)
        default: self = CLIError(.failure, String(describing: error))
        }
    }

    /// True for the errors `init(_:)` classifies; others (help, validation) go to ArgumentParser.
    static func isOurs(_ error: any Error) -> Bool {
        error is CLIError || error is EventLogError || error is MarketplaceError || error is ProjectionError || error is CommandRejection
    }

    init(log error: EventLogError) {
        switch error {
        case .corrupt, .headHashMismatch, .acknowledgedCommitsMissing, .acknowledgedHeadUnknown, .foreignWrite, .expectationFailed:
            self = CLIError(.damaged, error.description)
        case .busy, .conflict: self = CLIError(.temporary, error.description)
        case .notAStore: self = CLIError(.missingInput, error.description)
        case let .io(_, _, code) where code == ENOSPC || code == EDQUOT:
            self = CLIError(.ioError, "the disk is full: \(error.description)\(code == EDQUOT ? " Free some space (the disk quota is reached) and retry." : "")")
        case .io: self = CLIError(.ioError, error.description)
        case .derivedFileDamaged, .invalidCommit, .notWritable: self = CLIError(.failure, error.description)
        }
    }

    init(market error: MarketplaceError) {
        switch error {
        case .rejected: self = CLIError(.rejected, error.description)
        case .conflict: self = CLIError(.temporary, error.description)
        case .log(let log): self = CLIError(log: log)
        case .diskFull: self = CLIError(.ioError, error.description)
        case .state, .undecodableEvent: self = CLIError(.failure, error.description)
        }
    }

    init(projection error: ProjectionError) {
        switch error {
        case .log(let log): self = CLIError(CLIError(log: log).status, error.description)
        case .unknownView, .invalidQuery, .replayOutputRefused: self = CLIError(.usage, error.description)
        case .rebuildBusy, .viewBusy, .queryTimeLimit: self = CLIError(.temporary, error.description)
        case .io, .diskFull: self = CLIError(.ioError, error.description)
        case .viewAheadOfLog, .viewOfAnotherStore: self = CLIError(.damaged, error.description)
        case .database, .apply, .duplicateName: self = CLIError(.failure, error.description)
        }
    }

    /// The short machine-readable class of the error, as `exec` prints it (`code`).
    var code: String {
        switch status {
        case .success: return "ok"
        case .failure: return "failure"
        case .rejected: return "rejected"
        case .usage: return "usage"
        case .damaged: return "damaged"
        case .missingInput: return "missing-input"
        case .ioError: return "io"
        case .temporary: return "busy-or-conflict"
        }
    }
}
