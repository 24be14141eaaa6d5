import Access
import Application
import EventLog
import Foundation
import Hummingbird
import NIOCore
import Projections

/// `GET /healthz`, `GET /readyz`, `GET /metrics`, `GET /v1/status`, `POST /v1/verify`, `GET /v1/openapi.json`.
extension ServerServices {
    func addOperationsRoutes(to router: Router<TeamlogRequestContext>) {
        router.get("/healthz") { _, _ in Responses.json(#"{"ok":true}"#) }

        router.get("/readyz") { _, _ in
            if watch.isClosed { return Problem(.serviceUnavailable, code: "stopping", "the server is shutting down", retryAfter: 5).response }
            if let failure = views.failure { return Problem(.serviceUnavailable, code: failure.code, failure.message, retryAfter: 5).response }
            return Responses.json(JSONText.object([("ok", "true"), ("durableHead", String(watch.position))]))
        }

        router.get("/metrics") { _, _ in
            let head = watch.position
            for (view, checkpoint) in views.viewCheckpoints { metrics.viewLag(view, behind: head > checkpoint ? head - checkpoint : 0) }
            return Responses.text(metrics.text(), contentType: "text/plain; version=0.0.4; charset=utf-8")
        }

        router.get("/v1/status") { _, context in
            try ReadAuthorization.check(context, .status)
            let views = self.views
            let log = self.log
            let text = try await Blocking.run { () throws -> String in
                do throws(ApplicationError) {
                    return try views.withRunner { runner, _ throws(ApplicationError) in
                        let head: LogHead
                        do throws(EventLogError) { head = try log.head() } catch { throw ApplicationError(log: error) }
                        let statuses: [ViewStatus]
                        do throws(ProjectionError) { statuses = try runner.status(log, fingerprints: false) } catch {
                            throw ApplicationError(projection: error)
                        }
                        return StatusJSON.object(storeId: log.storeId.description, head: head, views: statuses)
                    }
                } catch {
                    throw Problem(error)
                }
            }
            return Responses.json(text)
        }

        router.post("/v1/verify") { _, context in
            try ReadAuthorization.check(context, .verify)
            let directory = configuration.storeDirectory
            let (lines, continuation) = AsyncStream<String>.makeStream()
            Task {
                _ = try? await Blocking.run { Self.verify(directory: directory, into: continuation) }
            }
            let body = ResponseBody { writer in
                for await line in lines { try await writer.write(ByteBuffer(string: line + "\n")) }
                try await writer.finish(nil)
            }
            return Response(status: .ok, headers: [.contentType: "application/x-ndjson"], body: body)
        }

        router.get("/v1/openapi.json") { _, _ in
            Responses.text(OpenAPIDocument.json, contentType: "application/json")
        }
    }

    /// Verifies the log from a read-only view of it (the writer goes on appending), as progress lines and
    /// a last line with the report or the damage found.
    static func verify(directory: String, into lines: AsyncStream<String>.Continuation) {
        defer { lines.finish() }
        do throws(EventLogError) {
            let log = try EventLog.open(directory: directory, options: .readOnly)
            var lastReported: UInt64 = 0
            let report = try log.verify { step in
                if step.position - lastReported >= max(1, step.headPosition / 100) {
                    lastReported = step.position
                    lines.yield(JSONText.object([("progress", JSONText.object([("position", String(step.position)),
                                                                                ("head", String(step.headPosition))]))]))
                }
            }
            var pairs: [(String, String)] = [
                ("ok", "true"), ("events", String(report.events)), ("commits", String(report.commits)),
                ("segments", String(report.segments)),
                ("head", JSONText.object([("position", String(report.head.position)), ("hash", JSONText.string(report.head.hashHex))])),
                ("warnings", JSONText.array(report.warnings.map(JSONText.string))),
            ]
            if let acknowledged = report.acknowledged { pairs.append(("acknowledgedPosition", String(acknowledged.position))) }
            lines.yield(JSONText.object(pairs))
        } catch {
            let failure = ApplicationError(log: error)
            lines.yield(failure.json())
        }
    }
}
