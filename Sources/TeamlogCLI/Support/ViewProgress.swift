import Projections

/// Feeds the read models' progress reports to a progress bar.
enum ViewProgress {
    static func callback(_ bar: ProgressBar) -> @Sendable (ProjectionProgress) -> Void {
        { step in bar.update(done: step.position, total: step.headPosition, rateDone: step.eventsApplied) }
    }
}
