/// Fresh ids for what a command creates when the caller did not give them.
public struct IdGenerator: Sendable {
    private let makeId: @Sendable () -> String

    public init(_ makeId: @escaping @Sendable () -> String) {
        self.makeId = makeId
    }

    public func next() -> String { makeId() }

    /// 20 random hexadecimal digits (80 bits).
    public static let random = IdGenerator {
        var generator = SystemRandomNumberGenerator()
        let high = generator.next() as UInt64, low = generator.next() as UInt64
        let hex = String(high, radix: 16) + String(low & 0xFFFF, radix: 16)
        return String(repeating: "0", count: max(0, 20 - hex.count)) + hex
    }
}
