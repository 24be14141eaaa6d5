import Foundation

enum BenchSupport {
    /// Peak resident set size of this process, in MiB.
    /// This process's peak resident memory: `VmHWM` of /proc/self/status, the high-water mark of its own
    /// address space. (getrusage's ru_maxrss is not: Linux carries it across exec, so a child spawned
    /// by a large parent reports the parent's peak.)
    static func peakRSSMegabytes() -> Double {
        if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
           let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
           let kib = Double(line.split(separator: " ").dropFirst().first ?? "") {
            return kib / 1024
        }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }

    static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// Bytes used by the files under `path`.
    static func directorySize(_ path: String) -> UInt64 {
        guard let enumerator = FileManager.default.enumerator(atPath: path) else { return 0 }
        var total: UInt64 = 0
        for case let name as String in enumerator {
            if let attributes = try? FileManager.default.attributesOfItem(atPath: path + "/" + name),
               (attributes[.type] as? FileAttributeType) == .typeRegular {
                total += (attributes[.size] as? UInt64) ?? 0
            }
        }
        return total
    }

    /// Runs this executable again with `arguments`, returning its standard output lines.
    static func runChild(_ arguments: [String]) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        if !FileManager.default.fileExists(atPath: process.executableURL!.path) {
            process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        }
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchError("child \(arguments.joined(separator: " ")) exited with \(process.terminationStatus)")
        }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    static func json(_ fields: [(String, Any)]) -> String {
        "{" + fields.map { key, value in
            let rendered: String
            switch value {
            case let s as String: rendered = "\"\(s)\""
            case let d as Double: rendered = String(format: "%.1f", d)
            default: rendered = "\(value)"
            }
            return "\"\(key)\": \(rendered)"
        }.joined(separator: ", ") + "}"
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
