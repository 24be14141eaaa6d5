import Application
import ArgumentParser
import Foundation

/// `--server URL` and `--key KEY`: send commands to a running `teamlog serve` instead of writing the
/// store (the server is the store's only writer while it runs).
struct ServerOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Send the commands to this server (http://HOST:PORT) instead of writing the store.",
                               discussion: "Default: $TEAMLOG_SERVER.", valueName: "url"))
    var server: String?

    @Option(help: ArgumentHelp("The API key for --server. Default: $TEAMLOG_KEY.", valueName: "key"))
    var key: String?

    private var environment: [String: String] { ProcessInfo.processInfo.environment }

    var serverURL: String? { server ?? environment["TEAMLOG_SERVER"].flatMap { $0.isEmpty ? nil : $0 } }

    mutating func validate() throws {
        if let serverURL, HTTPClient(url: serverURL) == nil {
            throw ValidationError("--server takes http://HOST:PORT (e.g. http://127.0.0.1:8080).")
        }
    }

    /// Where to send the commands, if anywhere.
    var forwarder: CommandForwarder? {
        guard let serverURL, let client = HTTPClient(url: serverURL) else { return nil }
        return CommandForwarder(client: client, key: key ?? environment["TEAMLOG_KEY"])
    }
}

/// Sends command lines to the server's `POST /v1/commands/batch` and reads back one result line each,
/// as `exec` prints them, with the exit status each failure deserves.
struct CommandForwarder {
    let client: HTTPClient
    let key: String?

    func run(_ lines: [(line: Int, bytes: [UInt8])]) throws(ApplicationError) -> [CommandExecution.Outcome] {
        guard !lines.isEmpty else { return [] }
        var body: [UInt8] = []
        for line in lines { body += line.bytes + [UInt8(ascii: "\n")] }
        var headers = [("Content-Type", "application/x-ndjson")]
        if let key { headers.append(("Authorization", "Bearer \(key)")) }
        let answer = try client.post("/v1/commands/batch", body: body, headers: headers)
        let text = String(decoding: answer.body, as: UTF8.self)
        guard answer.status == 200 else {
            let detail = (try? JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any])?["detail"] as? String ?? text
            throw ApplicationError(Self.status(http: answer.status), "the server refused the commands (HTTP \(answer.status)): \(detail)")
        }
        let results = text.split(separator: "\n").map(String.init)
        guard results.count == lines.count else {
            throw ApplicationError(.failure, "the server answered \(results.count) result lines for \(lines.count) commands")
        }
        return zip(lines, results).map { line, result in
            // The server numbers the lines of the body it got; give them the numbers of the input.
            var jsonLine = result
            if let comma = result.firstIndex(of: ","), result.hasPrefix("{\"line\":") {
                jsonLine = "{\"line\":\(line.line)" + result[comma...]
            }
            let object = try? JSONSerialization.jsonObject(with: Data(result.utf8)) as? [String: Any]
            var error: ApplicationError?
            if object?["ok"] as? Bool != true {
                let status = (object?["status"] as? Int).map(Self.status(http:)) ?? .failure
                error = ApplicationError(status, object?["error"] as? String ?? "the server reported a failure")
            }
            return CommandExecution.Outcome(line: line.line, jsonLine: jsonLine, error: error)
        }
    }

    /// An HTTP status as the exit status the CLI gives the same failure.
    static func status(http: Int) -> ExitStatus {
        switch http {
        case 400, 422: return .rejected
        case 401, 403: return .usage
        case 404: return .missingInput
        case 409, 503: return .temporary
        case 413: return .usage
        case 507: return .ioError
        default: return .failure
        }
    }
}
