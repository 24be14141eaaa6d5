import EventLog
import Foundation

/// `teamlog-testkit append-loop --store DIR --run R [--count N] [--durability fsync|os] [--lock-timeout S]`
/// Appends commits `R-1`, `R-2`, … (1 to 4 events each, payloads derived from the command id) and
/// prints `ack <commandId> <first> <last>` after each append returns. Runs until killed or N commits.
///
/// `teamlog-testkit append-one --store DIR --id ID` appends one single-event commit and exits.
enum AppendLoop {
    static func payload(commandId: String, index: Int) -> [UInt8] {
        let words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"]
        var text = ""
        var x = UInt64(truncatingIfNeeded: commandId.hashValueStable &+ index)
        for _ in 0..<(8 + Int(x % 24)) {
            x = x &* 6364136223846793005 &+ 1442695040888963407
            text += words[Int(x >> 60) % words.count] + " "
        }
        return Array("{\"command\":\"\(commandId)\",\"index\":\(index),\"text\":\"\(text)\"}".utf8)
    }

    static func eventCount(commandId: String) -> Int { 1 + commandId.hashValueStable % 4 }

    static func proposed(commandId: String) -> ProposedCommit {
        let count = eventCount(commandId: commandId)
        let events = (0..<count).map { i in
            ProposedEvent(stream: "s-\((commandId.hashValueStable + i) % 50)", type: "Appended", payload: payload(commandId: commandId, index: i))
        }
        return ProposedCommit(events: events, commandId: commandId, actor: "testkit")
    }

    static func option(_ name: String, _ arguments: [String]) -> String? {
        guard let at = arguments.firstIndex(of: name), at + 1 < arguments.count else { return nil }
        return arguments[at + 1]
    }

    static func run(_ arguments: [String]) throws {
        guard let store = option("--store", arguments), let run = option("--run", arguments) else {
            throw TestKitError("append-loop needs --store and --run")
        }
        let count = option("--count", arguments).flatMap(Int.init) ?? Int.max
        let durability: EventLogOptions.Durability = option("--durability", arguments) == "os" ? .osBuffered : .fsync
        let timeout = option("--lock-timeout", arguments).flatMap(Double.init) ?? 10
        let log = try EventLog.open(directory: store, options: EventLogOptions(durability: durability, lockTimeout: timeout))
        if let recovery = log.recovery { print("recovered \(recovery.bytesCut) \(recovery.commitsCut)") }
        var n = 0
        while n < count {
            n += 1
            let id = "\(run)-\(n)"
            let result = try log.append(proposed(commandId: id))
            let line = "ack \(id) \(result.firstPosition) \(result.lastPosition)\n"
            FileHandle.standardOutput.write(Data(line.utf8))
        }
        log.close()
    }

    /// `append-batch --store DIR --prefix P --count N`: the commits `append-one --id P1 … PN` would make, in one batch.
    static func appendBatch(_ arguments: [String]) throws {
        guard let store = option("--store", arguments), let prefix = option("--prefix", arguments),
              let count = option("--count", arguments).flatMap(Int.init) else {
            throw TestKitError("append-batch needs --store, --prefix and --count")
        }
        let log = try EventLog.open(directory: store, options: EventLogOptions(lockTimeout: 30))
        let commits = (1...count).map { n in single(id: "\(prefix)\(n)", text: nil) }
        for result in try log.appendBatch(commits) { _ = try result.get() }
        log.close()
    }

    static func single(id: String, text: String?) -> ProposedCommit {
        let payload = text.map { Array($0.utf8) } ?? payload(commandId: id, index: 0)
        return ProposedCommit(events: [ProposedEvent(stream: "s-\(id.hashValueStable % 100)", type: "Appended", payload: payload)],
                              commandId: id, actor: "testkit")
    }

    static func appendOne(_ arguments: [String]) throws {
        guard let store = option("--store", arguments), let id = option("--id", arguments) else {
            throw TestKitError("append-one needs --store and --id")
        }
        let log = try EventLog.open(directory: store, options: EventLogOptions(lockTimeout: 30))
        let result = try log.append(single(id: id, text: option("--payload", arguments)))
        print("ack \(id) \(result.firstPosition) \(result.lastPosition)")
        log.close()
    }
}

struct TestKitError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension String {
    /// A hash that is the same in every process (Swift's `hashValue` is seeded per process).
    var hashValueStable: Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in utf8 { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return Int(h >> 1)
    }
}
