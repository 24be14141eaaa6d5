import EventLog
import Foundation

/// `teamlog-testkit append-until-full --store DIR --headroom BYTES`: caps the size of any file this
/// process writes at (current segment size + BYTES) with RLIMIT_FSIZE, as a full disk would, appends
/// until an append fails (printing `ack …` lines and then `full <message>`), lifts the cap ("space
/// returns") and appends five more commits on the same open log (`ack after-…`).
enum AppendUntilFull {
    static func run(_ arguments: [String]) throws {
        guard let store = AppendLoop.option("--store", arguments),
              let headroom = AppendLoop.option("--headroom", arguments).flatMap(UInt64.init) else {
            throw TestKitError("append-until-full needs --store and --headroom")
        }
        signal(SIGXFSZ, SIG_IGN) // a write past the cap then fails with EFBIG instead of killing us
        let log = try EventLog.open(directory: store, options: EventLogOptions(durability: .osBuffered))
        let segments = try FileManager.default.contentsOfDirectory(atPath: store + "/log").filter { $0.hasSuffix(".lz4") }.sorted()
        let segmentSize = (try FileManager.default.attributesOfItem(atPath: store + "/log/" + (segments.last ?? ""))[.size] as? UInt64) ?? 0
        var original = rlimit()
        getrlimit(Int32(RLIMIT_FSIZE.rawValue), &original)
        var capped = original
        capped.rlim_cur = rlim_t(segmentSize + headroom)
        setrlimit(Int32(RLIMIT_FSIZE.rawValue), &capped)
        var n = 0
        while true {
            n += 1
            let id = "full-\(n)"
            do {
                let result = try log.append(AppendLoop.proposed(commandId: id))
                say("ack \(id) \(result.firstPosition) \(result.lastPosition)")
            } catch {
                say("full \(error)")
                break
            }
            if n > 1_000_000 { throw TestKitError("the cap never stopped an append") }
        }
        setrlimit(Int32(RLIMIT_FSIZE.rawValue), &original)
        for m in 1...5 {
            let id = "after-\(m)"
            let result = try log.append(AppendLoop.proposed(commandId: id))
            say("ack \(id) \(result.firstPosition) \(result.lastPosition)")
        }
        log.close()
    }

    private static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
