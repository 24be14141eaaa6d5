import Application
import Foundation
import Marketplace
import Testing

/// Each command's declaration (`CommandForm`) matches its payload struct, and the documentation shows it.
@Suite struct CommandDeclarationTests {
    /// The declared fields are the struct's stored properties, in order, optional exactly where the struct's
    /// are, of the declared kind: what the CLI builds is what the marketplace decodes.
    @Test func eachDeclarationNamesItsStructsFields() throws {
        for declared in CommandForms.all {
            let form = declared.form
            let envelope = try CommandForms.decode(json: form.exampleJSON)
            #expect(envelope.command.name == form.name)
            let payload = try #require(Mirror(reflecting: envelope.command).children.first?.value)
            let properties = Mirror(reflecting: payload).children
            #expect(properties.map(\.label) == form.fields.map(\.key), "\(form.name)")
            for (property, field) in zip(properties, form.fields) {
                let isOptional = Mirror(reflecting: property.value).displayStyle == .optional
                #expect(isOptional == !field.isRequired, "\(form.name).\(field.key): optional \(isOptional)")
                let value: Any = isOptional ? (Mirror(reflecting: property.value).children.first?.value ?? property.value) : property.value
                let valueType = type(of: property.value)
                switch field.kind {
                case .string: #expect(valueType == String.self || valueType == String?.self, "\(form.name).\(field.key)")
                case .integer: #expect(valueType == Int.self || valueType == Int?.self, "\(form.name).\(field.key)")
                case .list: #expect(valueType == [String].self || valueType == [String]?.self, "\(form.name).\(field.key)")
                case .choice(let values):
                    if let raw = (value as? any RawRepresentable)?.rawValue as? String { #expect(values.contains(raw), "\(form.name).\(field.key)") }
                }
            }
        }
    }

    /// docs/ shows the commands' table as the declarations render it (`CommandForms.markdownTable`).
    @Test func theDocumentationHasTheDeclaredTable() throws {
        var docs = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { docs.deleteLastPathComponent() }
        docs.appendPathComponent("docs")
        let files = try FileManager.default.contentsOfDirectory(atPath: docs.path).filter { $0.hasSuffix(".md") }
        let texts = try files.map { try String(contentsOf: docs.appendingPathComponent($0), encoding: .utf8) }
        #expect(texts.contains { $0.contains(CommandForms.markdownTable) },
                "no file in docs/ has the commands' table; paste this one:\n\(CommandForms.markdownTable)")
    }
}
