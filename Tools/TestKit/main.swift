// teamlog-testkit: child processes for the crash tests. Each subcommand runs until killed
// and reports what it has acknowledged on standard output, one line per acknowledgement.
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
guard let subcommand = arguments.first else {
    FileHandle.standardError.write(Data("usage: teamlog-testkit append-loop|project ...\n".utf8))
    exit(64)
}
do {
    switch subcommand {
    case "append-loop": try AppendLoop.run(Array(arguments.dropFirst()))
    case "append-batch": try AppendLoop.appendBatch(Array(arguments.dropFirst()))
    case "append-until-full": try AppendUntilFull.run(Array(arguments.dropFirst()))
    case "append-one": try AppendLoop.appendOne(Array(arguments.dropFirst()))
    case "project": try ProjectionCrashTool.run(Array(arguments.dropFirst()))
    case "crash": try CrashDriver.run(Array(arguments.dropFirst()))
    default:
        FileHandle.standardError.write(Data("unknown subcommand \(subcommand)\n".utf8))
        exit(64)
    }
} catch {
    FileHandle.standardError.write(Data("teamlog-testkit: \(error)\n".utf8))
    exit(1)
}
