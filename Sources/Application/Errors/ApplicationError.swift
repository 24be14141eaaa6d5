public import Access
public import EventLog
import Foundation
public import Marketplace
public import PosixFiles
public import Projections

/// An error the application reports, whatever its front end: a message (never quoting personal data) and
/// the class it belongs to (`status`), from which the CLI takes its exit code and `exec` its `code`. The one
/// mapping of the modules' errors to those classes (a server would map `status` to its HTTP status here too).
public struct ApplicationError: Error, Sendable, CustomStringConvertible {
    public var status: ExitStatus
    public var message: String

    public init(_ status: ExitStatus, _ message: String) {
        self.status = status
        self.message = message
    }

    public var description: String { message }

    /// Classifies any error the modules throw by the exit status it deserves, keeping their message.
    public init(_ error: any Error) {
        switch error {
        case let error as ApplicationError: self = error
        case let error as EventLogError: self = ApplicationError(log: error)
        case let error as MarketplaceError: self = ApplicationError(market: error)
        case let error as ProjectionError: self = ApplicationError(projection: error)
        case let error as CommandRejection: self = ApplicationError(.rejected, error.description)
        case let error as KeyFileError: self = ApplicationError(keys: error)
        default: self = ApplicationError(.failure, String(describing: error))
        }
    }

    /// True for the errors `init(_:)` classifies; others (a front end's own, e.g. help and usage) are the front end's to report.
    public static func isOurs(_ error: any Error) -> Bool {
        error is ApplicationError || error is EventLogError || error is MarketplaceError || error is ProjectionError || error is CommandRejection
            || error is KeyFileError
    }

    public init(log error: EventLogError) {
        switch error {
        case .corrupt, .headHashMismatch, .acknowledgedCommitsMissing, .acknowledgedHeadUnknown, .foreignWrite, .expectationFailed:
            self = ApplicationError(.damaged, error.description)
        case .busy, .conflict: self = ApplicationError(.temporary, error.description)
        case .notAStore: self = ApplicationError(.missingInput, error.description)
        case let .io(operation, _, code) where DiskSpace.isFull(errno: code):
            self = ApplicationError(Self.status(StorageFailure(errno: code, operation: operation)),
                                    "the disk is full: \(error.description)\(code == EDQUOT ? " Free some space (the disk quota is reached) and retry." : "")")
        case let .io(operation, _, code):
            self = ApplicationError(Self.status(StorageFailure(errno: code, operation: operation)), error.description)
        case .derivedFileDamaged, .invalidCommit, .notWritable: self = ApplicationError(.failure, error.description)
        }
    }

    public init(market error: MarketplaceError) {
        switch error {
        case .rejected: self = ApplicationError(.rejected, error.description)
        case .conflict: self = ApplicationError(.temporary, error.description)
        case .log(let log): self = ApplicationError(log: log)
        case .stateFile(_, let cause): self = ApplicationError(Self.status(cause), error.description)
        case .state, .undecodableEvent: self = ApplicationError(.failure, error.description)
        }
    }

    public init(projection error: ProjectionError) {
        switch error {
        case .log(let log): self = ApplicationError(ApplicationError(log: log).status, error.description)
        case .unknownView, .invalidQuery, .replayOutputRefused, .replayBeyondHead: self = ApplicationError(.usage, error.description)
        case .rebuildBusy, .viewBusy, .queryTimeLimit: self = ApplicationError(.temporary, error.description)
        case .io, .storage, .database:
            self = ApplicationError(error.storageFailure.map { Self.status($0.cause) } ?? .failure, error.description)
        case .viewAheadOfLog, .viewOfAnotherStore: self = ApplicationError(.damaged, error.description)
        case .apply, .duplicateName: self = ApplicationError(.failure, error.description)
        }
    }

    /// The key file's errors: a bad actor, role or key id is a usage error (64), a missing file 66, a
    /// damaged one 65, a held lock 75, the file system's refusals as for the store's files.
    public init(keys error: KeyFileError) {
        switch error.kind {
        case .invalidInput, .unknownKey: self = ApplicationError(.usage, error.description)
        case .missing: self = ApplicationError(.missingInput, error.description)
        case .damaged: self = ApplicationError(.damaged, error.description)
        case .busy: self = ApplicationError(.temporary, error.description)
        case .io(_, let failure): self = ApplicationError(Self.status(failure), error.description)
        }
    }

    /// The one mapping of a failure of a store's file to an exit status: a full disk or another I/O
    /// error 74, a read-only file or file system 77, a damaged file (a derived one: rebuilt from the
    /// log) 65, anything else 1.
    public static func status(_ cause: StorageFailure) -> ExitStatus {
        switch cause.kind {
        case .diskFull, .io: return .ioError
        case .readOnly: return .readOnly
        case .damaged: return .damaged
        case .other: return .failure
        }
    }

    /// The error as one JSON object, as `exec` prints a failed command's result:
    /// `{"line":4,"ok":false,"code":"notPermitted","error":"…"}` (`code` is this error's class unless given).
    public func json(code: String? = nil, line: Int? = nil) -> String {
        var pairs: [(String, String)] = []
        if let line { pairs.append(("line", String(line))) }
        pairs += [("ok", "false"), ("code", JSONText.string(code ?? self.code)), ("error", JSONText.string(message))]
        return JSONText.object(pairs)
    }

    /// The short machine-readable class of the error, as `exec` prints it (`code`).
    public var code: String {
        switch status {
        case .success: return "ok"
        case .failure: return "failure"
        case .rejected: return "rejected"
        case .usage: return "usage"
        case .damaged: return "damaged"
        case .missingInput: return "missing-input"
        case .ioError: return "io"
        case .readOnly: return "read-only"
        case .temporary: return "busy-or-conflict"
        }
    }
}
