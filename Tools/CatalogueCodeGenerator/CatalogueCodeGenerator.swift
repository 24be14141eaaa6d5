import Foundation

/// Writes the Swift code that follows from the catalogues' schemas, at build time (run by the
/// CatalogueCode build plugin; never by hand):
///
///     CatalogueCodeGenerator events   Events/catalogue.json                       OUT.swift
///     CatalogueCodeGenerator commands Sources/Marketplace/Commands/commands.json  OUT.swift
///     CatalogueCodeGenerator forms    Sources/Marketplace/Commands/commands.json  OUT.swift
///
/// A schema it cannot turn into code fails the build with a message naming the file and the problem.
@main
struct CatalogueCodeGenerator {
    static func main() {
        let arguments = CommandLine.arguments.dropFirst()
        guard arguments.count == 3 else {
            fail("usage: CatalogueCodeGenerator events|commands|forms SCHEMA.json OUT.swift")
        }
        let (mode, schema, output) = (arguments[arguments.startIndex], arguments[arguments.startIndex + 1], arguments[arguments.startIndex + 2])
        do {
            let code: String
            switch mode {
            case "events": code = try EventCode(schema: try EventSchema.load(schema)).render()
            case "commands": code = try CommandCode(schema: try CommandSchema.load(schema)).render()
            case "forms": code = try FormCode(schema: try CommandSchema.load(schema)).render()
            default: fail("unknown mode \(mode): events, commands or forms")
            }
            // Rewritten only when it changes, so an unchanged schema rebuilds nothing.
            if FileManager.default.contents(atPath: output) != Data(code.utf8) {
                try Data(code.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
            }
        } catch let error as SchemaError {
            fail("error: \(error.description)")
        } catch {
            fail("error: \(output): \(error)")
        }
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        exit(1)
    }
}
