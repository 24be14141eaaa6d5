/// Placeholder: the projections work replaces this file with a catch-up/rebuild loop for the crash tests.
enum ProjectionCrashTool {
    static func run(_ arguments: [String]) throws {}
}
