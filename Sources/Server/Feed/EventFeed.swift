import Application
public import EventLog
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// `GET /v1/events`: the log as Server-Sent Events. A subscriber reads the log itself, from its own
/// position, and only up to the durable head: it catches up from the log, then waits on the head watch
/// and reads each new durable batch. Nothing is buffered for it, so a slow subscriber is never dropped
/// and never slows the writers (it just reads further behind). Each event's `id` is its position; a
/// client that reconnects with `Last-Event-ID: P` gets exactly the events after P.
public struct EventFeed: Sendable {
    public let store: any EventStoreReader
    public let watch: HeadWatch
    public var heartbeat: Duration
    /// Positions read per step (bounds each read and the memory it takes).
    public var stepPositions: UInt64 = 1_000
    let metrics: ServerMetrics
    /// The newest events' frames, shared by the subscribers at the head.
    let recent: RecentFrames

    init(store: any EventStoreReader, watch: HeadWatch, heartbeat: Duration, metrics: ServerMetrics) {
        self.store = store
        recent = RecentFrames(store: store)
        self.watch = watch
        self.heartbeat = heartbeat
        self.metrics = metrics
    }

    /// The response: headers now, then events as they become durable, until the client goes away or the
    /// server shuts down.
    func response(after position: UInt64, filter: EventFilter, showPayload: Bool) -> Response {
        let feed = self
        let body = ResponseBody { writer in
            let subscriber = feed.metrics.feedSubscribed()
            defer { feed.metrics.feedUnsubscribed(subscriber) }
            var delivered = position
            // A comment first, so the client knows the stream is open before any event exists.
            try await writer.write(ByteBuffer(string: ": teamlog feed after position \(position)\n\n"))
            while !feed.watch.isClosed && !Task.isCancelled {
                let head = feed.watch.position
                if head > delivered {
                    let upper = min(head, delivered + feed.stepPositions)
                    let from = delivered + 1
                    let text = try await Blocking.run {
                        try feed.recent.text(from: from, through: upper, filter: filter, showPayload: showPayload)
                            ?? feed.frames(from: from, through: upper, filter: filter, showPayload: showPayload)
                    }
                    if !text.isEmpty { try await writer.write(ByteBuffer(string: text)) }
                    delivered = upper
                    feed.metrics.feedLag(subscriber, behind: feed.watch.position - delivered)
                    continue
                }
                let moved = await feed.watch.wait(beyond: delivered, timeout: feed.heartbeat)
                if moved == delivered, !feed.watch.isClosed {
                    try await writer.write(ByteBuffer(string: ": heartbeat\n\n"))
                }
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store",
                                               HTTPField.Name("X-Accel-Buffering")!: "no"], body: body)
    }

    /// The SSE frames of the events in `from...through` that match `filter`.
    func frames(from: UInt64, through: UInt64, filter: EventFilter, showPayload: Bool) throws -> String {
        var bounded = filter
        bounded.untilPosition = min(filter.untilPosition ?? through, through)
        var text = ""
        do throws(EventLogError) {
            let cursor = try store.events(from: from, filter: bounded)
            while let event = try cursor.next() {
                text += "id: \(event.position)\nevent: \(event.type)\ndata: \(EventJSON.object(event, showPayload: showPayload))\n\n"
            }
        } catch {
            throw Problem(ApplicationError(log: error))
        }
        return text
    }
}
