/// SplitMix64: a small, fast, seeded generator, so that a workload is the same on every machine.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in `0..<n` (n > 0).
    public mutating func below(_ n: Int) -> Int {
        Int(next() % UInt64(n))
    }

    /// True with probability `p`.
    public mutating func chance(_ p: Double) -> Bool {
        Double(next() >> 11) / Double(UInt64(1) << 53) < p
    }

    public mutating func pick<T>(_ values: [T]) -> T {
        values[below(values.count)]
    }

    /// `count` lower-case hexadecimal digits.
    public mutating func hex(_ count: Int) -> String {
        var text = ""
        while text.count < count { text += String(next(), radix: 16) }
        return String(text.prefix(count))
    }
}

/// A bounded pool: keeps at most `capacity` items, replacing a random one when full, so memory does
/// not grow with the workload's size.
struct Pool<Element: Sendable>: Sendable {
    private(set) var items: [Element] = []
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    var isEmpty: Bool { items.isEmpty }
    var count: Int { items.count }

    mutating func add(_ item: Element, _ random: inout SeededRandom) {
        if items.count < capacity { items.append(item) } else { items[random.below(capacity)] = item }
    }

    func pick(_ random: inout SeededRandom) -> (index: Int, item: Element)? {
        guard !items.isEmpty else { return nil }
        let index = random.below(items.count)
        return (index, items[index])
    }

    mutating func update(_ index: Int, _ item: Element) { items[index] = item }

    /// Removes and returns the item at `index` (order is not kept).
    @discardableResult
    mutating func remove(at index: Int) -> Element {
        items.swapAt(index, items.count - 1)
        return items.removeLast()
    }
}
