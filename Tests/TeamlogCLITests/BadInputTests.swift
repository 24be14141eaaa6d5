import Foundation
import Testing

/// Every kind of bad input to every marketplace subcommand and to `exec`: each is refused with the
/// documented exit code and a message naming the problem, and the store stays the same byte for byte.
@Suite struct BadInputTests {
    @Test(arguments: CommandFormTests.subcommands)
    func everyBadInputIsRefusedClearlyAndChangesNothing(subcommand: String) throws {
        let cli = try BadInputFixture.store()
        let before = try StoreSnapshot(cli.store)
        let fields = CommandFormTests.fields(subcommand)
        let valid = BadInputFixture.valid(subcommand)
        let inputs = BadInputCases.all.filter { $0.subcommand == subcommand } + Self.generated(subcommand, valid: valid, fields: fields)
        var lines: [(json: String, code: String, mentions: [String])] = []
        for input in inputs {
            // The store from the environment: a field's flag given last has no value (a field takes the next
            // argument as its value, whatever it is, as `--amount-cents -5` needs).
            let result = try cli.run([subcommand] + input.arguments, withStore: false, environment: ["TEAMLOG_STORE": cli.store])
            #expect(result.status == input.status, "\(input) exited \(result.status): \(result.stderr)")
            Self.expect(result.stderr, mentions: input.mentions, "\(input)")
            if let code = input.code {
                #expect(result.stderr.hasPrefix("teamlog: error: rejected (\(code)): "), "\(input): \(result.stderr)")
                #expect(try result.jsonLines().first?["code"] as? String == code, "\(input): \(result.stdout)")
                // The same command as a JSON line for exec.
                let printed = try cli.run([subcommand, "--print-json"] + input.arguments, withStore: false)
                lines.append((printed.stdout.trimmingCharacters(in: .newlines), code, input.mentions))
            }
            let changed = try StoreSnapshot(cli.store).changes(since: before)
            #expect(changed == [], "\(input) changed the store")
        }
        let validLine = try cli.run([subcommand, "--print-json"] + valid, withStore: false).stdout
        let required = Set(fields.filter(\.required).map(\.key) + ["actor"])
        lines += try Self.malformed(validLine, required: required).map { ($0.json, "malformed", $0.mentions) }

        let execution = try cli.run(["exec", try cli.file("bad-\(subcommand).jsonl", lines.map(\.json).joined(separator: "\n"))])
        #expect(execution.status == 2)
        #expect(execution.stderr.hasPrefix("teamlog: error: \(lines.count) command(s) failed; the first, on line 1: "), "\(execution.stderr)")
        let results = try execution.jsonLines()
        #expect(results.count == lines.count)
        for (result, expected) in zip(results, lines) {
            #expect(result["ok"] as? Bool == false && result["code"] as? String == expected.code, "\(expected.json): \(result)")
            Self.expect(result["error"] as? String ?? "", mentions: expected.mentions, expected.json)
        }
        #expect(try StoreSnapshot(cli.store).changes(since: before) == [], "exec of the bad lines changed the store")
        print("bad input: \(subcommand): \(inputs.count) command lines and \(lines.count) exec lines refused, the store unchanged")
    }

    /// Bad inputs every subcommand gets, from its declaration: each required field left out, an unknown option, a
    /// stray argument, a field without its value, a single field given twice, a value not among the choices,
    /// a non-number, an unknown, empty or malformed actor, malformed command and correlation ids.
    static func generated(_ subcommand: String, valid: [String], fields: [CommandFormTests.HelpField]) -> [BadInput] {
        var inputs: [BadInput] = []
        func without(_ flag: String) -> [String] {
            var arguments: [String] = [], index = 0
            while index < valid.count {
                if valid[index] == flag { index += 2 } else { arguments.append(valid[index]); index += 1 }
            }
            return arguments
        }
        func replacing(_ flag: String, with value: String) -> [String] { without(flag) + [flag, value] }
        for field in fields where field.required { inputs.append(.usage(subcommand, [field.flag], without(field.flag))) }
        inputs.append(.usage(subcommand, ["--actor"], without("--actor")))
        inputs.append(.usage(subcommand, ["unknown option '--colour'"], valid + ["--colour", "red"]))
        inputs.append(.usage(subcommand, ["unexpected argument 'stray'"], valid + ["stray"]))
        if let first = fields.first { inputs.append(.usage(subcommand, ["missing value", first.flag], valid + [first.flag])) }
        if let single = fields.first(where: { !$0.repeatable && valid.contains($0.flag) }) {
            inputs.append(.usage(subcommand, [single.flag, "twice"], valid + [single.flag, "v-2"]))
        }
        for field in fields where !field.choices.isEmpty {
            inputs.append(.usage(subcommand, [field.flag, "takes one of"], replacing(field.flag, with: "nonsense")))
        }
        for field in fields where field.placeholder == "n" {
            inputs.append(.usage(subcommand, [field.flag, "whole number"], replacing(field.flag, with: "lots")))
        }
        switch subcommand {
        case "register-account", "accept-invitation": break // anyone: the actor need not be a user
        case "expire-invitation", "record-invitation-email-sent", "record-invitation-email-failed":
            inputs.append(.rejected(subcommand, "notPermitted", ["system"], replacing("--actor", with: "u-ghost")))
        default: inputs.append(.rejected(subcommand, "unknownActor", ["u-ghost", "not a registered user"], replacing("--actor", with: "u-ghost")))
        }
        inputs.append(.rejected(subcommand, "invalidInput", ["actor", "128"], replacing("--actor", with: "")))
        inputs.append(.rejected(subcommand, "invalidInput", ["actor", "spaces"], replacing("--actor", with: "u\tghost")))
        inputs.append(.rejected(subcommand, "invalidInput", ["command id", "spaces"], valid + ["--command-id", "c 1"]))
        inputs.append(.rejected(subcommand, "invalidInput", ["command id", "128"], valid + ["--command-id", String(repeating: "c", count: 2_000)]))
        inputs.append(.rejected(subcommand, "invalidInput", ["correlation id", "128"], valid + ["--correlation-id", BadInputCases.longId]))
        return inputs
    }

    /// The command's JSON line broken in every way a field can be: each field of the wrong type, each
    /// required field left out or null, an unknown command, no command, the line cut in half.
    static func malformed(_ line: String, required: Set<String>) throws -> [(json: String, mentions: [String])] {
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let object = try JSONSerialization.jsonObject(with: Data(trimmed.utf8)) as? [String: Any] else {
            throw CLI.Failure("not a JSON object: \(line)")
        }
        func json(_ changed: [String: Any]) throws -> String {
            String(decoding: try JSONSerialization.data(withJSONObject: changed, options: [.sortedKeys]), as: UTF8.self)
        }
        var lines: [(String, [String])] = []
        for (key, value) in object.sorted(by: { $0.key < $1.key }) where key != "command" {
            var changed = object
            switch value {
            case is String: changed[key] = 42
            case is [Any]: changed[key] = "not a list"
            default: changed[key] = "not a number"
            }
            lines.append((try json(changed), ["'\(key)'"]))
            if required.contains(key) {
                changed[key] = nil
                lines.append((try json(changed), ["'\(key)'", "missing"]))
                changed[key] = NSNull()
                lines.append((try json(changed), ["'\(key)'"]))
            }
        }
        var unknown = object
        unknown["command"] = "FrobnicateTeam"
        lines.append((try json(unknown), ["unknown command", "RegisterAccount"]))
        unknown["command"] = nil
        lines.append((try json(unknown), ["'command'", "missing"]))
        lines.append((String(trimmed.prefix(trimmed.count / 2)), ["not valid JSON"]))
        return lines
    }

    static func expect(_ message: String, mentions: [String], _ context: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for word in mentions {
            #expect(message.lowercased().contains(word.lowercased()), "\(context.prefix(200)): the message does not name \(word): \(message)",
                    sourceLocation: sourceLocation)
        }
    }
}
