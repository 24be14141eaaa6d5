import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Logs every request once it is answered, structured (request id, method, route, status, duration,
/// caller's key id), and records its latency by route and status. Never the path's values, the query,
/// a body or a key: the route is the pattern (`/v1/views/{view}/{key}`), which holds no personal data.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = TeamlogRequestContext
    let logger: Logger
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = DispatchTime.now().uptimeNanoseconds
        let status: Int
        do {
            let response = try await next(request, context)
            status = Int(response.status.code)
            log(request, context: context, status: status, started: started)
            return response
        } catch let error as any HTTPResponseError {
            status = Int(error.status.code)
            log(request, context: context, status: status, started: started)
            throw error
        } catch {
            log(request, context: context, status: 500, started: started)
            throw error
        }
    }

    private func log(_ request: Request, context: Context, status: Int, started: UInt64) {
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        let route = context.endpointPath.map { $0.replacingOccurrences(of: ":view", with: "{view}").replacingOccurrences(of: ":key", with: "{key}") }
            ?? "unmatched"
        metrics.request(route: route, status: status, seconds: seconds)
        var metadata: Logger.Metadata = [
            "request_id": .string(context.id), "method": .string(request.method.rawValue), "route": .string(route),
            "status": .stringConvertible(status), "duration_ms": .string(String(format: "%.3f", seconds * 1000)),
        ]
        if let keyId = context.identity.keyId { metadata["principal"] = .string(keyId) }
        logger.log(level: status >= 500 ? .error : .info, "request", metadata: metadata)
    }
}
