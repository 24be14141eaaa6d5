import Foundation

/// A growable byte buffer in malloc'd memory: the segment reader's input and output windows.
/// (Arrays zero-fill and bounds-check on every growth; this does neither more than needed.)
final class RawBuffer {
    private(set) var base: UnsafeMutableRawPointer
    private(set) var capacity: Int
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 64)
        base = UnsafeMutableRawPointer.allocate(byteCount: self.capacity, alignment: 16)
    }

    deinit { base.deallocate() }

    /// Grows `count` by `extra` bytes (their content undefined until written).
    func extend(by extra: Int) {
        reserve(count + extra)
        count += extra
    }

    func reserve(_ needed: Int) {
        guard needed > capacity else { return }
        var newCapacity = capacity
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
        newBase.copyMemory(from: base, byteCount: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    func removeLast(_ n: Int) { count -= n }

    func removeFirst(_ n: Int) {
        guard n > 0 else { return }
        (base).copyMemory(from: base + n, byteCount: count - n)
        count -= n
    }

    func withUnsafeBytes<T>(_ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    func withUnsafeMutableBytes<T>(_ body: (UnsafeMutableRawBufferPointer) throws -> T) rethrows -> T {
        try body(UnsafeMutableRawBufferPointer(start: base, count: count))
    }

    func allZero(from offset: Int) -> Bool {
        let bytes = UnsafeRawBufferPointer(start: base + offset, count: count - offset)
        return bytes.allSatisfy { $0 == 0 }
    }
}
