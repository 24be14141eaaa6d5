enum AppendLoop {
    static func run(_ arguments: [String]) throws {}
}
