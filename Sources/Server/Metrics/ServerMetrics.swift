import Foundation
public import Prometheus

/// What `GET /metrics` reports, in Prometheus text: commands by outcome, commit latency (request in to
/// durable answer) and durable-write latency, group-commit batch sizes, each view's lag behind the
/// durable head, feed subscribers and their lag, and request latency by route and status.
public final class ServerMetrics: @unchecked Sendable {
    public let registry: PrometheusCollectorRegistry
    private let lock = NSLock()
    private var subscribers: [Int: UInt64] = [:]
    private var nextSubscriber = 0
    /// The labelled metrics made so far (the registry would look each up again under its own lock).
    private var commandCounters: [String: Counter] = [:]
    private var requestHistograms: [RouteStatus: DurationHistogram] = [:]

    private static let latencyBuckets: [Duration] = [
        .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
        .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
        .seconds(2.5), .seconds(5), .seconds(10),
    ]

    private static func descriptor(_ name: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "teamlog", metricName: name, unitName: unit, helpText: help)
    }

    private let commitSeconds: DurationHistogram
    private let batchSizes: ValueHistogram
    private let durableWriteSeconds: DurationHistogram
    private let durableHead: Gauge
    private let feedSubscribers: Gauge
    private let feedMaxLag: Gauge
    private let mirrorPosition: Gauge
    private let mirrorLag: Gauge
    private let mirrorSyncSeconds: DurationHistogram
    private let mirrorFailures: Counter

    public init() {
        let registry = PrometheusCollectorRegistry()
        self.registry = registry
        commitSeconds = registry.makeDurationHistogram(
            descriptor: Self.descriptor("commit", "seconds", "From a command's arrival to its durable answer, per group-commit batch."),
            labels: [], buckets: Self.latencyBuckets)
        durableWriteSeconds = registry.makeDurationHistogram(
            descriptor: Self.descriptor("durable_write", "seconds", "One group-commit batch's write to the log, fsync included."),
            labels: [], buckets: Self.latencyBuckets)
        batchSizes = registry.makeValueHistogram(
            descriptor: Self.descriptor("group_commit_batch", "commands", "Commands per durable write."), labels: [],
            buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048])
        durableHead = registry.makeGauge(
            descriptor: Self.descriptor("durable_head", "position", "The highest log position answered as durable."), labels: [])
        feedSubscribers = registry.makeGauge(
            descriptor: Self.descriptor("feed_subscribers", "count", "Live /v1/events subscribers."), labels: [])
        feedMaxLag = registry.makeGauge(
            descriptor: Self.descriptor("feed_max_lag", "events", "The largest lag of a feed subscriber behind the durable head."), labels: [])
        mirrorPosition = registry.makeGauge(
            descriptor: Self.descriptor("postgres_mirror_position", "position", "The log position PostgreSQL's views and events have reached."),
            labels: [])
        mirrorLag = registry.makeGauge(
            descriptor: Self.descriptor("postgres_mirror_lag", "events", "Events of the durable log not yet in PostgreSQL, after the last sync."),
            labels: [])
        mirrorSyncSeconds = registry.makeDurationHistogram(
            descriptor: Self.descriptor("postgres_mirror_sync", "seconds", "One sync of the PostgreSQL mirror."),
            labels: [], buckets: Self.latencyBuckets)
        mirrorFailures = registry.makeCounter(
            descriptor: Self.descriptor("postgres_mirror_failures", "total", "Syncs of the PostgreSQL mirror that failed."), labels: [])
    }

    /// One command's outcome: ok, duplicate, rejected, conflict, busy or failed.
    public func command(outcome: String) {
        let counter = lock.withLock { () -> Counter in
            if let known = commandCounters[outcome] { return known }
            let made = registry.makeCounter(descriptor: Self.descriptor("commands", "total", "Commands by outcome."),
                                            labels: [("outcome", outcome)])
            commandCounters[outcome] = made
            return made
        }
        counter.increment()
    }

    public func batch(commands: Int, seconds: Double, head: UInt64) {
        lock.lock(); defer { lock.unlock() }
        commitSeconds.record(.nanoseconds(Int64(seconds * 1e9)))
        batchSizes.record(Double(commands))
        durableHead.set(Double(head))
    }

    /// One pipelined batch's durable write (encode, append, fsync).
    public func durableWrite(seconds: Double) {
        durableWriteSeconds.record(.nanoseconds(Int64(seconds * 1e9)))
    }

    /// A sync of the PostgreSQL mirror reached `position` while the durable head was at `head`.
    public func mirror(position: UInt64, head: UInt64, seconds: Double) {
        mirrorPosition.set(Double(position))
        mirrorLag.set(Double(head > position ? head - position : 0))
        mirrorSyncSeconds.record(.nanoseconds(Int64(seconds * 1e9)))
    }

    public func mirrorFailed() {
        mirrorFailures.increment()
    }

    public func viewLag(_ view: String, behind events: UInt64) {
        registry.makeGauge(descriptor: Self.descriptor("view_lag", "events", "Events of the durable log a view has not applied yet."),
                           labels: [("view", view)]).set(Double(events))
    }

    public func request(route: String, status: Int, seconds: Double) {
        let key = RouteStatus(route: route, status: status)
        let histogram = lock.withLock { () -> DurationHistogram in
            if let known = requestHistograms[key] { return known }
            let made = registry.makeDurationHistogram(
                descriptor: Self.descriptor("http_request", "seconds", "HTTP request latency by route and status."),
                labels: [("route", route), ("status", String(status))], buckets: Self.latencyBuckets)
            requestHistograms[key] = made
            return made
        }
        histogram.record(.nanoseconds(Int64(seconds * 1e9)))
    }

    private struct RouteStatus: Hashable {
        var route: String
        var status: Int
    }

    func feedSubscribed() -> Int {
        lock.lock(); defer { lock.unlock() }
        let id = nextSubscriber
        nextSubscriber += 1
        subscribers[id] = 0
        feedSubscribers.set(Double(subscribers.count))
        return id
    }

    func feedUnsubscribed(_ id: Int) {
        lock.lock(); defer { lock.unlock() }
        subscribers[id] = nil
        feedSubscribers.set(Double(subscribers.count))
        feedMaxLag.set(Double(subscribers.values.max() ?? 0))
    }

    func feedLag(_ id: Int, behind events: UInt64) {
        lock.lock(); defer { lock.unlock() }
        subscribers[id] = events
        feedMaxLag.set(Double(subscribers.values.max() ?? 0))
    }

    /// The Prometheus text exposition.
    public func text() -> String {
        registry.emitToString()
    }
}
