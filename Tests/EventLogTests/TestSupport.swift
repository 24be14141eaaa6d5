import Foundation
import Testing
@testable import EventLog

/// A fresh directory under the system's temporary directory, removed when the test ends.
final class TemporaryDirectory: Sendable {
    let path: String

    init(_ name: String = "teamlog-test") {
        let base = FileManager.default.temporaryDirectory.path
        path = "\(base)/\(name)-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    var store: String { path + "/store" }
}

func event(_ stream: String, _ type: String = "Tested", _ text: String = "payload") -> ProposedEvent {
    ProposedEvent(stream: stream, type: type, payload: Array("{\"text\":\"\(text)\"}".utf8))
}

func commit(_ events: [ProposedEvent], expect: [String: ExpectedVersion] = [:], id: String? = nil,
            actor: String = "tester") -> ProposedCommit {
    ProposedCommit(events: events, expectations: expect, commandId: id, actor: actor)
}

/// A realistic-looking JSON payload of a few hundred bytes, deterministic from `n`.
func samplePayload(_ n: Int) -> [UInt8] {
    let words = ["interview", "project", "deadline", "team", "milestone", "invoice", "review", "design", "contract",
                 "schedule", "available", "experience", "portfolio", "budget", "weekly", "update", "client", "proposal"]
    var text = ""
    var x = UInt64(n) &* 0x9E37_79B9_7F4A_7C15 | 1
    for _ in 0..<(20 + n % 25) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17
        text += words[Int(x % UInt64(words.count))] + " "
    }
    return Array("{\"threadId\":\"t-\(n % 977)\",\"from\":\"u-\(n % 1_301)\",\"body\":\"\(text)\",\"sentAt\":\(1_700_000_000 + n)}".utf8)
}

/// The events `read` collects, and the error that ended it (nil: the read's end).
func eventsUntilError<E: Error>(_ read: (inout [RecordedEvent]) throws(E) -> Void) -> (events: [RecordedEvent], error: E?) {
    var events: [RecordedEvent] = []
    do throws(E) {
        try read(&events)
        return (events, nil)
    } catch {
        return (events, error)
    }
}

/// Expects a read (as `eventsUntilError` gives it) to have reached its end with the events `serial` holds.
func expectRead<E: Error>(_ read: (events: [RecordedEvent], error: E?), equals serial: [RecordedEvent], _ note: String,
                          sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(read.error == nil, "\(note): \(read.error.map { "\($0)" } ?? "")", sourceLocation: sourceLocation)
    #expect(read.events == serial, "\(note)", sourceLocation: sourceLocation)
}

func segmentFiles(_ store: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: store + "/log")) ?? []).filter { $0.hasSuffix(".lz4") }.sorted()
}

func fileBytes(_ path: String) -> [UInt8] {
    (try? Array(Data(contentsOf: URL(fileURLWithPath: path)))) ?? []
}

func writeBytes(_ bytes: [UInt8], to path: String) {
    FileManager.default.createFile(atPath: path, contents: Data(bytes))
}

/// The package root, for the built executables in .build/debug.
let packageRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

func builtExecutable(_ name: String) -> String {
    packageRoot + "/.build/debug/" + name
}

/// Runs a process to completion, returning its exit status and its raw standard output.
func runRaw(_ executable: String, _ arguments: [String]) throws -> (status: Int32, stdout: [UInt8]) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, Array(data))
}

/// Runs a process to completion, returning its exit status and standard output/error.
@discardableResult
func run(_ executable: String, _ arguments: [String], input: String? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    let inPipe = Pipe()
    process.standardInput = inPipe
    try process.run()
    if let input { inPipe.fileHandleForWriting.write(Data(input.utf8)) }
    try? inPipe.fileHandleForWriting.close()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
}
