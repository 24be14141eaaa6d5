import Crypto

/// An API key as a client presents it: `tlk_<key id>_<secret>`, where the key id is 16 lowercase hex
/// digits (8 random bytes; it names the key in the key file, `keys list` and logs) and the secret is 32
/// bytes from the system's CSPRNG in unpadded base64url (43 characters). The key file keeps only the
/// SHA-256 of the secret: a key is shown once, when it is made.
public struct APIKey: Sendable, Hashable, CustomStringConvertible {
    public static let prefix = "tlk_"
    public static let keyIdLength = 16
    public static let secretByteCount = 32
    /// Unpadded base64url of 32 bytes.
    public static let secretTextLength = 43
    /// Everything longer is refused before any decoding.
    public static let textLength = prefix.utf8.count + keyIdLength + 1 + secretTextLength

    public let keyId: String
    let secret: [UInt8]

    /// A new key from the system's CSPRNG (`SystemRandomNumberGenerator`: getrandom(2) on Linux).
    public static func generate() -> APIKey {
        var random = SystemRandomNumberGenerator()
        let idBytes = (0..<8).map { _ in UInt8.random(in: .min ... .max, using: &random) }
        let secret = (0..<secretByteCount).map { _ in UInt8.random(in: .min ... .max, using: &random) }
        return APIKey(keyId: Hex.encode(idBytes), secret: secret)
    }

    init(keyId: String, secret: [UInt8]) {
        self.keyId = keyId
        self.secret = secret
    }

    /// Reads a presented key; nil for anything not exactly of the form above (wrong prefix, key id not 16
    /// lowercase hex digits, a secret of another length, outside the base64url alphabet, padded, or not
    /// the canonical encoding of 32 bytes, surrounding whitespace).
    public init?(parsing text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == Self.textLength, bytes.starts(with: Self.prefix.utf8) else { return nil }
        let idStart = Self.prefix.utf8.count, idEnd = idStart + Self.keyIdLength
        let id = bytes[idStart..<idEnd]
        guard id.allSatisfy(Hex.isLowerDigit), bytes[idEnd] == UInt8(ascii: "_"),
              let secret = Base64URL.decode(bytes[(idEnd + 1)...]), secret.count == Self.secretByteCount else { return nil }
        self.init(keyId: String(decoding: id, as: UTF8.self), secret: secret)
    }

    /// The key as it is shown once and presented: `tlk_<key id>_<secret>`.
    public var text: String { Self.prefix + keyId + "_" + Base64URL.encode(secret) }

    /// The secret's SHA-256, as the key file stores it.
    public var secretHash: [UInt8] { Array(SHA256.hash(data: secret)) }

    /// Never the secret: only the key id.
    public var description: String { "API key \(keyId)" }

    /// True when `a` and `b` are equal, in time that depends only on their lengths.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}

enum Hex {
    static func encode(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func isLowerDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
    }

    /// Lowercase hex only; nil for anything else.
    static func decode(_ text: String) -> [UInt8]? {
        let bytes = Array(text.utf8)
        guard bytes.count % 2 == 0, bytes.allSatisfy(isLowerDigit) else { return nil }
        func value(_ byte: UInt8) -> UInt8 { byte <= UInt8(ascii: "9") ? byte - UInt8(ascii: "0") : byte - UInt8(ascii: "a") + 10 }
        return stride(from: 0, to: bytes.count, by: 2).map { value(bytes[$0]) << 4 | value(bytes[$0 + 1]) }
    }
}

/// Unpadded base64url (RFC 4648 §5), strict: decoding refuses padding, other alphabets and non-canonical
/// trailing bits.
enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    private static let values: [Int8] = {
        var table = [Int8](repeating: -1, count: 256)
        for (index, byte) in alphabet.enumerated() { table[Int(byte)] = Int8(index) }
        return table
    }()

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            var word: UInt32 = 0
            for (offset, byte) in chunk.enumerated() { word |= UInt32(byte) << (16 - 8 * offset) }
            for position in 0...chunk.count { out.append(alphabet[Int((word >> (18 - 6 * position)) & 0x3F)]) }
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func decode(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        guard text.count % 4 != 1 else { return nil }
        var out: [UInt8] = []
        var word: UInt32 = 0, bits = 0
        for byte in text {
            let value = values[Int(byte)]
            guard value >= 0 else { return nil }
            word = word << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8((word >> UInt32(bits)) & 0xFF))
            }
        }
        // The bits left over must be zero (one encoding per byte string).
        guard word & ((1 << UInt32(bits)) - 1) == 0 else { return nil }
        return out
    }
}
