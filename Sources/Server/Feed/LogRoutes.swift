import Access
import Application
import EventLog
import Foundation
import HTTPTypes
import Hummingbird

/// `GET /v1/log` (the audit trail, a page at a time) and `GET /v1/events` (the live feed).
extension ServerServices {
    func addLogRoutes(to router: Router<TeamlogRequestContext>) {
        router.get("/v1/log") { request, context in
            try ReadAuthorization.check(context, .log)
            let parameters = request.uri.queryParameters
            let filter = try Self.filter(parameters)
            let from = try Self.position(parameters.get("from"), name: "from") ?? 1
            let limit = try Self.position(parameters.get("limit"), name: "limit").map(Int.init) ?? 1_000
            guard (1...configuration.maxLogPage).contains(limit) else {
                throw Problem.badRequest("limit takes 1 to \(configuration.maxLogPage)")
            }
            let showPayload = parameters.get("payload") == "true"
            let log = self.log
            let page = try await Blocking.run { () throws -> (lines: [String], next: UInt64?) in
                do throws(EventLogError) {
                    // Through the audit index when streams or actors are named.
                    let cursor = try log.events(from: from, filter: filter)
                    var lines: [String] = []
                    var last: UInt64 = 0
                    while lines.count < limit, let event = try cursor.next() {
                        lines.append(EventJSON.object(event, showPayload: showPayload))
                        last = event.position
                    }
                    var next: UInt64?
                    if lines.count == limit, try cursor.next() != nil { next = last + 1 }
                    return (lines, next)
                } catch {
                    throw Problem(ApplicationError(log: error))
                }
            }
            let body = JSONText.object([("events", "[" + page.lines.joined(separator: ",") + "]"),
                                        ("next", page.next.map(String.init) ?? "null")])
            return Responses.json(body)
        }

        router.get("/v1/events") { request, context in
            try ReadAuthorization.check(context, .feed)
            let parameters = request.uri.queryParameters
            var filter = EventFilter()
            if let streams = Self.values(parameters, "stream") { filter.streams = streams }
            if let types = Self.values(parameters, "type") { filter.types = types }
            // Resume exactly after the last event the client saw; else after `from - 1`.
            let after: UInt64
            if let lastId = request.headers[HTTPField.Name("Last-Event-ID")!] {
                guard let position = UInt64(lastId.trimmingCharacters(in: .whitespaces)) else {
                    throw Problem.badRequest("Last-Event-ID must be the id (a position) of an event this feed sent")
                }
                after = position
            } else {
                after = (try Self.position(parameters.get("from"), name: "from") ?? 1) - 1
            }
            return feed.response(after: after, filter: filter, showPayload: parameters.get("payload") != "false")
        }
    }

    /// The audit trail's filters: stream, type and actor (each repeatable or comma-separated), since and
    /// until (ISO-8601), to (a position).
    static func filter(_ parameters: Parameters) throws(Problem) -> EventFilter {
        var filter = EventFilter()
        filter.streams = values(parameters, "stream")
        filter.types = values(parameters, "type")
        filter.actors = values(parameters, "actor")
        if let since = parameters.get("since") {
            guard let micros = Timestamps.micros(parsing: since) else { throw Problem.badRequest("since is not an ISO-8601 time") }
            filter.sinceMicros = micros
        }
        if let until = parameters.get("until") {
            guard let micros = Timestamps.micros(parsing: until) else { throw Problem.badRequest("until is not an ISO-8601 time") }
            filter.untilMicros = micros
        }
        filter.untilPosition = try position(parameters.get("to"), name: "to")
        return filter
    }

    static func values(_ parameters: Parameters, _ name: String) -> Set<String>? {
        let values = parameters.getAll(name).flatMap { $0.split(separator: ",").map(String.init) }
        return values.isEmpty ? nil : Set(values)
    }

    static func position(_ text: String?, name: String) throws(Problem) -> UInt64? {
        guard let text else { return nil }
        guard let value = UInt64(text), value >= 1 else { throw Problem.badRequest("\(name) takes a whole number from 1") }
        return value
    }
}
