/// The documented exit codes of `teamlog` (sysexits family; see README.md, "Exit codes").
public enum ExitStatus: Int32, CaseIterable, Sendable {
    /// Everything worked.
    case success = 0
    /// An unexpected failure (the decision state, an undecodable event): the message says what to do.
    case failure = 1
    /// A command was rejected by a business rule or validation; nothing was appended.
    case rejected = 2
    /// The command line is wrong: unknown option, missing argument, unknown view, refused SQL.
    case usage = 64
    /// Stored data is damaged: a checksum, the hash chain or the expected head hash does not match.
    case damaged = 65
    /// An input is missing: the store or a named file does not exist.
    case missingInput = 66
    /// The file system refused an operation (full disk, I/O error).
    case ioError = 74
    /// A file of the store, or its file system, is read-only (EX_NOPERM): nothing was written.
    case readOnly = 77
    /// Try again: another process holds the store's write lock or kept a view locked past the busy timeout,
    /// a concurrent command won a conflict, or a `sql` statement reached its time limit.
    case temporary = 75
}
