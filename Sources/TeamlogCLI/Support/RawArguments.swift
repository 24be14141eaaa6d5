import Foundation
import Marketplace

/// The process's arguments as the bytes it was given. `CommandLine.arguments` has already replaced
/// what is not UTF-8 with U+FFFD: a command built from them would store altered text.
enum RawArguments {
    /// A rejection naming the first option whose value is not valid UTF-8 (never the value), if any.
    static func invalidUTF8() -> CommandRejection? {
        var previous: [UInt8]?
        for index in 1..<Int(CommandLine.argc) {
            guard let pointer = CommandLine.unsafeArgv[index] else { continue }
            let bytes = Array(UnsafeBufferPointer(start: pointer, count: strlen(pointer)).map { UInt8(bitPattern: $0) })
            defer { previous = bytes }
            guard String(validating: bytes, as: UTF8.self) == nil else { continue }
            return CommandRejection(.invalidInput, "\(describe(bytes, after: previous)) is not valid UTF-8 (bytes that are not UTF-8, an overlong form, an encoded surrogate or a cut sequence): give the text in UTF-8")
        }
        return nil
    }

    /// "the value of --name" for `--name=…` or for the argument after `--name`; else "an argument".
    private static func describe(_ argument: [UInt8], after previous: [UInt8]?) -> String {
        func option(_ bytes: some Collection<UInt8>) -> String? {
            guard bytes.starts(with: Array("--".utf8)), bytes.count > 2,
                  let text = String(validating: Array(bytes), as: UTF8.self),
                  text.dropFirst(2).allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else { return nil }
            return text
        }
        if let equals = argument.firstIndex(of: UInt8(ascii: "=")), let name = option(argument[..<equals]) {
            return "the value of \(name)"
        }
        if let previous, let name = option(previous) { return "the value of \(name)" }
        return "an argument"
    }
}
