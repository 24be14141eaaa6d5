import EventLog
import Events
import Foundation
import Marketplace
import Workload

/// Decoding throughput of the catalogue (fast path and Foundation reference) on the reference workload.
enum DecodeBenchmark {
    static func run(events: Int) throws {
        let store = InMemoryEventStore()
        let market = try Marketplace(store: store)
        try WorkloadRunner.run(seed: 1, targetEvents: events, into: market)
        let recorded = try store.events(from: 1).collect()
        /// Events per second of the best of three passes (the machine is shared: the best pass is the least
        /// disturbed one). Both decoders are measured the same way, alternating, so that their ratio holds.
        func measure(_ decode: (RecordedEvent) throws -> MarketplaceEvent) rethrows -> Double {
            let start = DispatchTime.now().uptimeNanoseconds
            for event in recorded { _ = try decode(event) }
            return Double(recorded.count) / (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        var fast = 0.0
        var foundation = 0.0
        for _ in 0..<3 {
            fast = max(fast, try measure { try EventCatalogue.decode(type: $0.type, schemaVersion: $0.schemaVersion, payload: $0.payload) })
            foundation = max(foundation, try measure {
                try EventCatalogue.decodeWithFoundation(type: $0.type, schemaVersion: $0.schemaVersion, payload: $0.payload)
            })
        }
        let bytes = recorded.reduce(0) { $0 + $1.payload.count }
        print(String(format: "decode: %d events, %.0f payload bytes/event; fast %.0f events/s, JSONDecoder %.0f events/s (%.1fx)",
                     recorded.count, Double(bytes) / Double(recorded.count), fast, foundation, fast / foundation))
    }
}
