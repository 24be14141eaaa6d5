public import PosixFiles
import Foundation

/// Why the key file could not be used or changed. The message names the file and says what to do; it
/// never holds a key, a secret or a hash, nor the content of a damaged line.
public struct KeyFileError: Error, Sendable, Equatable, CustomStringConvertible, FileFailure {
    public enum Kind: Sendable, Equatable {
        /// There is no key file (or no directory to hold it).
        case missing
        /// The file is not a key file this version can read: the line (1-based) and what is wrong with it.
        case damaged(line: Int, problem: String)
        /// The file system refused an operation.
        case io(operation: String, failure: StorageFailure)
        /// Another `teamlog keys` kept the key file's lock past the timeout.
        case busy
        /// No key has that id.
        case unknownKey
        /// The actor or role given to `add` cannot make a key.
        case invalidInput(String)
    }

    public var kind: Kind
    public var path: String

    public init(_ kind: Kind, path: String) {
        self.kind = kind
        self.path = path
    }

    public static func io(operation: String, path: String, errno: Int32) -> KeyFileError {
        if errno == ENOENT { return KeyFileError(.missing, path: path) }
        return KeyFileError(.io(operation: operation, failure: StorageFailure(errno: errno, operation: operation)), path: path)
    }

    public var description: String {
        switch kind {
        case .missing:
            return "there is no key file at \(path): create a key with `teamlog keys add --keys \(path) --actor USER --role ROLE` (the directory must exist)"
        case let .damaged(line, problem):
            return "the key file \(path) is damaged at line \(line) (\(problem)); no key in it is accepted until it is mended: "
                + "restore it from a backup, or move it aside and issue new keys with `teamlog keys add`"
        case let .io(operation, failure):
            return "\(operation) of the key file \(path) failed: \(failure.message ?? "error") (\(failure.code)). Check the file's permissions and its disk, then retry."
        case .busy:
            return "another `teamlog keys` holds the lock of the key file \(path) (\(path).lock): retry when it has finished"
        case .unknownKey:
            return "the key file \(path) has no key with that id: `teamlog keys list` shows the key ids"
        case .invalidInput(let problem):
            return problem
        }
    }
}
