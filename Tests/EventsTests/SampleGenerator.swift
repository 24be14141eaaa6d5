/// A seeded generator of awkward field values: plain words, quotes, backslashes, slashes, control
/// characters, non-ASCII letters, emoji, empty strings, extreme integers.
struct SampleGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    private static let pieces: [String] = [
        "ana", "Bob", "user-42", "inv_7f3a", " ", "\"", "\\", "/", "\n", "\t", "\r", "\u{08}", "\u{0C}", "\u{01}", "\u{1F}",
        "\u{7F}", "é", "Zoë", "日本語", "😀", "\u{2028}", "<b>", "a@b.example", "Hello, world.", "{", "}", "[", "]", ":", ",", "null",
    ]

    mutating func text() -> String {
        let count = below(6)
        var result = ""
        for _ in 0..<count { result += Self.pieces[below(Self.pieces.count)] }
        return result
    }

    mutating func maybeText() -> String? {
        below(3) == 0 ? nil : text()
    }

    mutating func int() -> Int {
        switch below(5) {
        case 0: return 0
        case 1: return Int.max
        case 2: return Int.min
        case 3: return -below(1000)
        default: return below(1_000_000)
        }
    }

    mutating func texts() -> [String] {
        (0..<below(4)).map { _ in text() }
    }

    mutating func pick<T>(_ values: [T]) -> T {
        values[below(values.count)]
    }
}
