import Application
import EventLog
import Marketplace

/// What the routes work with: the store, group commit, the views, the feed, the metrics, the limits.
struct ServerServices: Sendable {
    let configuration: ServerConfiguration
    let log: EventLog
    let commands: CommandService
    let views: ServedViews
    let feed: EventFeed
    let watch: HeadWatch
    let metrics: ServerMetrics
}
