import Foundation

/// The end of the log: its last position and the hash chain's value after its last commit.
public struct LogHead: Sendable, Hashable, CustomStringConvertible {
    /// Position of the last event (0 for an empty log).
    public var position: UInt64
    /// Number of commits.
    public var commits: UInt64
    /// SHA-256 chain value after the last commit (32 zero bytes for an empty log).
    public var hash: [UInt8]

    public init(position: UInt64, commits: UInt64, hash: [UInt8]) {
        self.position = position
        self.commits = commits
        self.hash = hash
    }

    public static let empty = LogHead(position: 0, commits: 0, hash: [UInt8](repeating: 0, count: 32))

    public var hashHex: String { Self.hex(hash) }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    public var description: String { "position \(position), \(commits) commits, head hash \(hashHex)" }
}
