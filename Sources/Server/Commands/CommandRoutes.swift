import Access
import Application
import Foundation
import HTTPTypes
import Hummingbird
import Marketplace

/// `POST /v1/commands` and `POST /v1/commands/batch`.
extension ServerServices {
    func addCommandRoutes(to router: Router<TeamlogRequestContext>) {
        router.post("/v1/commands") { request, context in
            let body = try await Responses.body(of: request, limit: configuration.maxBodyBytes)
            var envelope = try Self.authorizedEnvelope(body, principal: try context.caller())
            if let key = request.headers[HTTPField.Name("Idempotency-Key")!] {
                if let given = envelope.commandId, given != key {
                    throw Problem.badRequest("the Idempotency-Key header and the body's commandId differ: give one, or the same in both")
                }
                envelope.commandId = key
            }
            let answer = try await run([envelope])[0]
            switch answer {
            case .refused(let problem): return problem.response
            case .executed(.success(let outcome)):
                return Responses.json(CommandExecution.describe(.success(outcome), line: nil).jsonLine)
            case .executed(.failure(let error)): return Problem(market: error).response
            }
        }

        router.post("/v1/commands/batch") { request, context in
            let principal = try context.caller()
            let body = try await Responses.body(of: request, limit: configuration.maxBatchBodyBytes)
            var lines: [(number: Int, envelope: Result<CommandEnvelope, Problem>)] = []
            for (index, line) in body.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
                let trimmed = line.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") }
                if trimmed.isEmpty || trimmed.first == UInt8(ascii: "#") { continue }
                guard line.count <= configuration.maxBodyBytes else {
                    throw Problem.tooLarge("line \(index + 1) is longer than \(configuration.maxBodyBytes) bytes: one command per line, each at most that long")
                }
                lines.append((index + 1, Result { () throws(Problem) in try Self.authorizedEnvelope(Array(line), principal: principal) }))
            }
            guard lines.count <= configuration.maxBatchCommands else {
                throw Problem.tooLarge("\(lines.count) commands in one batch; send at most \(configuration.maxBatchCommands) per request")
            }
            let parsed = lines.compactMap { try? $0.envelope.get() }
            var answers = try await run(parsed).makeIterator()
            var out: [String] = []
            for line in lines {
                switch line.envelope {
                case .failure(let problem):
                    out.append(Self.failureLine(code: problem.code, detail: problem.detail, status: problem.status, line: line.number))
                case .success:
                    switch answers.next() {
                    case .executed(.success(let outcome)):
                        out.append(CommandExecution.describe(.success(outcome), line: line.number).jsonLine)
                    case .executed(.failure(let error)):
                        let problem = Problem(market: error)
                        out.append(Self.failureLine(code: problem.code, detail: problem.detail, status: problem.status, line: line.number))
                    case .refused(let problem):
                        out.append(Self.failureLine(code: problem.code, detail: problem.detail, status: problem.status, line: line.number))
                    case nil:
                        out.append(Self.failureLine(code: "failure", detail: "no result", status: .internalServerError, line: line.number))
                    }
                }
            }
            return Responses.jsonLines(out)
        }
    }

    /// A command's JSON form, parsed as `exec` parses a line (a malformed one is 400; the actor may be
    /// left out), and allowed for the key's principal (else 403): the envelope to execute.
    static func authorizedEnvelope(_ bytes: [UInt8], principal: Principal) throws(Problem) -> CommandEnvelope {
        let request: CommandRequest
        do throws(CommandRejection) {
            request = try CommandRequest.parse(jsonBytes: bytes)
        } catch {
            throw Problem(ApplicationError(.rejected, error.description), rejection: error.code)
        }
        switch AccessPolicy.authorize(principal, command: request) {
        case .allowed(let authorized):
            var envelope = authorized.envelope
            if let sender = authorized.operatorPrincipal {
                // The log records who sent it beside whom it acts for: `operator:u-ops:<key id>`.
                envelope.principal = "\(sender.role.rawValue):\(sender.actor):\(sender.keyId)"
            }
            return envelope
        case .forbidden(let reason): throw Problem.forbidden(reason)
        }
    }

    /// Group commit, with the gateway's own refusals as problems (503 while busy or shutting down).
    func run(_ envelopes: [CommandEnvelope]) async throws -> [CommandService.Answer] {
        do {
            return try await commands.execute(envelopes)
        } catch let error as CommandGateway.GatewayError {
            throw Problem(.serviceUnavailable, code: "busy", error.description, retryAfter: 1)
        } catch let error as MarketplaceError {
            throw Problem(market: error)
        }
    }

    /// A batch line's failure, as `exec` prints one, with the HTTP status it would have had alone.
    static func failureLine(code: String, detail: String, status: HTTPResponse.Status, line: Int) -> String {
        JSONText.object([("line", String(line)), ("ok", "false"), ("status", String(status.code)),
                         ("code", JSONText.string(code)), ("error", JSONText.string(detail))])
    }
}
