import Crypto

/// The tamper-evident chain over commits: `h(0)` is 32 zero bytes and
/// `h(n) = SHA-256(h(n-1) ‖ bytes of commit n)`, the commit's bytes being its whole record
/// (length prefix through CRC) as it stands in the decompressed segment.
struct HashChain: Sendable, Hashable {
    static let genesis = [UInt8](repeating: 0, count: 32)

    private(set) var value: [UInt8]

    init(value: [UInt8] = HashChain.genesis) {
        self.value = value
    }

    mutating func extend(with record: UnsafeRawBufferPointer) {
        var hasher = SHA256()
        hasher.update(data: value)
        hasher.update(bufferPointer: record)
        value = Array(hasher.finalize())
    }

    mutating func extend(with record: [UInt8]) {
        record.withUnsafeBytes { extend(with: $0) }
    }
}
