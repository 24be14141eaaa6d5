/// Lets the store options come before the subcommand (`teamlog --store DIR status`), as users expect
/// of a global option: they are moved after it, where each subcommand declares them.
enum StoreArguments {
    static let options: Set<String> = ["--store", "--lock-timeout"]

    /// The arguments with the store options after the subcommand; when the first word names no subcommand,
    /// without them, so that the error names the unknown word rather than `--store`. For a group of
    /// subcommands (`keys`: its subcommands), after the group's subcommand (`keys add --store DIR`).
    static func movedAfterSubcommand(_ arguments: [String], subcommands: Set<String>,
                                     groups: [String: Set<String>] = [:]) -> [String] {
        var moved = movedAfterSubcommand(arguments)
        if let first = moved.first, let members = groups[first] {
            let rest = movedAfterSubcommand(Array(moved.dropFirst()))
            if let second = rest.first, members.contains(second) { moved = [first] + rest }
        }
        guard let first = moved.first, !first.hasPrefix("-"), !subcommands.contains(first) else { return moved }
        var kept: [String] = []
        var index = 0
        while index < moved.count {
            if options.contains(moved[index]) {
                index += 2
            } else {
                if !options.contains(where: { moved[index].hasPrefix($0 + "=") }) { kept.append(moved[index]) }
                index += 1
            }
        }
        return kept
    }

    static func movedAfterSubcommand(_ arguments: [String]) -> [String] {
        var leading: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if options.contains(argument), index + 1 < arguments.count {
                leading += [argument, arguments[index + 1]]
                index += 2
            } else if options.contains(where: { argument.hasPrefix($0 + "=") }) {
                leading.append(argument)
                index += 1
            } else {
                break
            }
        }
        guard !leading.isEmpty, index < arguments.count else { return arguments }
        return [arguments[index]] + leading + arguments[(index + 1)...]
    }
}
