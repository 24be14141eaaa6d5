import Foundation
import GRDB
public import PosixFiles

/// The typed cause of a failure on a view's file: SQLite's result codes and message (never the
/// statement's arguments), or the errno, so that a full disk or a read-only file is reported as such
/// (free space, make it writable, and retry) rather than as a damaged view.
extension StorageFailure {
    public init(_ error: any Error, operation: String, path: String) {
        switch error {
        case let error as DatabaseError:
            self.init(sqlite: error.resultCode.rawValue, extended: error.extendedResultCode.rawValue, message: error.message,
                      operation: operation, path: path)
        case let error as ProjectionError:
            switch error {
            case .database(_, _, let cause), .storage(_, let cause): self = cause
            case let .io(operation, _, code): self.init(errno: code, operation: operation)
            default: self.init(code: .other, operation: operation, message: error.description)
            }
        default:
            self.init(error, operation: operation)
        }
    }
}
