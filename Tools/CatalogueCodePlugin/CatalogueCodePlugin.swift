import Foundation
import PackagePlugin

/// Generates each catalogue module's code from its schema at build time: the event types (Events, from
/// Events/catalogue.json), the command payloads and `Command` (Marketplace) and the commands' forms
/// (Application), both from Sources/Marketplace/Commands/commands.json. The schemas are the one place
/// an event type or a command is declared; nothing generated is kept in the tree.
@main
struct CatalogueCodePlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let root = context.package.directoryURL
        let (mode, schema): (String, String)
        switch target.name {
        case "Events": (mode, schema) = ("events", "Events/catalogue.json")
        case "Marketplace": (mode, schema) = ("commands", "Sources/Marketplace/Commands/commands.json")
        case "Application": (mode, schema) = ("forms", "Sources/Marketplace/Commands/commands.json")
        default: throw PluginError("CatalogueCode generates code for Events, Marketplace and Application, not \(target.name)")
        }
        let input = root.appending(path: schema)
        let output = context.pluginWorkDirectoryURL.appending(path: "\(target.name)+Catalogue.swift")
        return [
            .buildCommand(
                displayName: "Generating \(target.name)'s code from \(schema)",
                executable: try context.tool(named: "CatalogueCodeGenerator").url,
                arguments: [mode, input.path, output.path],
                inputFiles: [input],
                outputFiles: [output])
        ]
    }
}

struct PluginError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
