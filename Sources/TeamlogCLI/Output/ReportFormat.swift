import ArgumentParser

/// How `status` and `stats` print: aligned text, or one JSON object.
enum ReportFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case table, json
}
