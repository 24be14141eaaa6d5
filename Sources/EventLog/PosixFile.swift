public import PosixFiles

/// The file operations the log needs (the stores' shared helpers), failing with `EventLogError.io`.
typealias PosixFile = PosixFiles.PosixFile<EventLogError>

extension EventLogError: FileFailure {}
