import Foundation
import Testing
@testable import Events

/// The fast codec against Foundation's JSON (the reference), on generated samples of every event type.
struct CodecTests {
    static let seeds: [UInt64] = Array(1...40)

    static func referenceEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    @Test("fast encoding is byte for byte JSONEncoder's sorted-keys encoding", arguments: seeds)
    func fastEncodingMatchesFoundation(seed: UInt64) throws {
        var generator = SampleGenerator(seed: seed)
        for event in sampleEvents(&generator) {
            let fast = event.encodedPayload()
            let reference = try Self.referenceEncoder().encode(event.payload)
            #expect(fast == Array(reference), "\(event.eventType): \(String(decoding: fast, as: UTF8.self)) vs \(String(decoding: reference, as: UTF8.self))")
        }
    }

    @Test("fast decoding equals JSONDecoder decoding and the original", arguments: seeds)
    func fastDecodingMatchesFoundation(seed: UInt64) throws {
        var generator = SampleGenerator(seed: seed)
        for event in sampleEvents(&generator) {
            let payload = event.encodedPayload()
            let fast = try EventCatalogue.fastDecode(type: event.eventType, schemaVersion: event.schemaVersion, payload: payload)
            let reference = try EventCatalogue.decodeWithFoundation(type: event.eventType, schemaVersion: event.schemaVersion, payload: payload)
            #expect(fast == reference)
            #expect(fast == event)
        }
    }

    /// Each type's own generated reader, against `JSONDecoder`, on every version it reads: keys in reverse
    /// order, unknown keys before and after, optionals given as null, and each required field left out.
    @Test("every type's fast reader agrees with JSONDecoder on reordered, extended, null and incomplete payloads", arguments: seeds)
    func everyTypesReaderAgreesWithFoundation(seed: UInt64) throws {
        var generator = SampleGenerator(seed: seed)
        for entry in EventCatalogue.entries {
            for (version, fields) in entry.olderFields + [(entry.currentVersion, entry.fields)] {
                let members = sampleMembers(fields, &generator, optionals: true)
                let nulls: [JSONMember] = members.map { member in
                    fields.first { $0.name == member.key }?.isOptional == true ? (key: member.key, json: "null") : member
                }
                let unknown: [JSONMember] = [("aaUnknown", "\"x\""), ("zzUnknown", "[\"y\"]"), ("mmUnknown", "-3")]
                let accepted: [[JSONMember]] = [members.reversed(), [unknown[0]] + members + [unknown[1], unknown[2]], nulls, nulls.reversed()]
                for variant in accepted {
                    let payload = jsonObject(variant)
                    let fast = try EventCatalogue.fastDecode(type: entry.type, schemaVersion: version, payload: payload)
                    let reference = try EventCatalogue.decodeWithFoundation(type: entry.type, schemaVersion: version, payload: payload)
                    #expect(fast == reference, "\(entry.type) v\(version): \(String(decoding: payload, as: UTF8.self))")
                }
                for field in fields where !field.isOptional {
                    let payload = jsonObject(members.filter { $0.key != field.name }.reversed())
                    #expect(throws: FlatJSONError.self, "\(entry.type) v\(version) without \(field.name)") {
                        try EventCatalogue.fastDecode(type: entry.type, schemaVersion: version, payload: payload)
                    }
                    #expect(throws: EventDecodingError.self) {
                        try EventCatalogue.decodeWithFoundation(type: entry.type, schemaVersion: version, payload: payload)
                    }
                }
            }
        }
    }

    @Test("the fast reader accepts what JSONDecoder accepts: whitespace, any key order, unknown keys, escapes, null optionals")
    func fastReaderToleratesValidVariations() throws {
        let payloads = [
            #" { "userId" : "u1" , "role":"buyer", "name":"A\u00e9\"\\\/\ud83d\ude00", "email":"a@b.example", "extra": [ "x", "y" ], "n": -12, "b": true, "z": null, "invitationId": null } "#,
            #"{"email":"a@b.example","name":"","role":"provider","userId":"u2","invitationId":"i9"}"#,
        ]
        for text in payloads {
            let bytes = Array(text.utf8)
            let fast = try EventCatalogue.fastDecode(type: "AccountRegistered", schemaVersion: 1, payload: bytes)
            let reference = try EventCatalogue.decodeWithFoundation(type: "AccountRegistered", schemaVersion: 1, payload: bytes)
            #expect(fast == reference)
        }
    }

    @Test("payloads both readers refuse are refused by the fast reader too", arguments: [
        #"{"email":"a","name":"n","role":"buyer"}"#,                   // missing userId
        #"{"email":"a","name":"n","role":"boss","userId":"u"}"#,       // unknown role
        #"{"email":1,"name":"n","role":"buyer","userId":"u"}"#,        // wrong type
        #"{"email":null,"name":"n","role":"buyer","userId":"u"}"#,     // null required
        #"{"email":"a","name":"n","role":"buyer","userId":"u""#,       // truncated
        #"{"email":"a","name":"n","role":"buyer","userId":"u"} x"#,    // trailing garbage
        #"["email"]"#,
        "",
    ])
    func invalidPayloadsAreRefused(text: String) {
        let bytes = Array(text.utf8)
        #expect(throws: FlatJSONError.self) { try EventCatalogue.fastDecode(type: "AccountRegistered", schemaVersion: 1, payload: bytes) }
        #expect(throws: EventDecodingError.self) { try EventCatalogue.decodeWithFoundation(type: "AccountRegistered", schemaVersion: 1, payload: bytes) }
        #expect(throws: EventDecodingError.self) { try EventCatalogue.decode(type: "AccountRegistered", schemaVersion: 1, payload: bytes) }
    }

    @Test("strings: ASCII and multi-byte UTF-8 decode as written; invalid UTF-8 is refused, never repaired",
          arguments: [[0xFF], [0xC3], [0xC3, 0x28], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0x61, 0x80, 0x62]] as [[UInt8]])
    func stringsAreValidatedUnlessASCII(bad: [UInt8]) throws {
        func account(name: [UInt8]) -> [UInt8] {
            Array(#"{"email":"a@b.example","name":""#.utf8) + name + Array(#"","role":"buyer","userId":"u1"}"#.utf8)
        }
        for name in ["plain ascii", "Zoë Ångström 😀"] {
            let event = try EventCatalogue.fastDecode(type: "AccountRegistered", schemaVersion: 1, payload: account(name: Array(name.utf8)))
            guard case .accountRegistered(let registered) = event else { Issue.record("decoded \(event)"); continue }
            #expect(registered.name == name)
        }
        #expect(throws: FlatJSONError.self) {
            try EventCatalogue.fastDecode(type: "AccountRegistered", schemaVersion: 1, payload: account(name: bad))
        }
    }

    @Test("strings are read eight bytes at a time: an escape, a control character or a non-ASCII byte at any offset is still found",
          arguments: [#"\""#, #"\\"#, #"\n"#, #"\u00e9"#, "é", "😀", "\u{01}", "\u{1F}", "\u{7F}"])
    func specialBytesAtEveryOffset(special: String) throws {
        // The name's length runs past several eight-byte words; the special text moves through every offset.
        for offset in 0..<24 {
            for length in [offset, offset + 1, offset + 9, 40] {
                let name = String(repeating: "a", count: offset) + special + String(repeating: "b", count: length - offset)
                let payload = Array(#"{"email":"a@b.example","name":""#.utf8) + Array(name.utf8) + Array(#"","role":"buyer","userId":"u1"}"#.utf8)
                let reference = try? EventCatalogue.decodeWithFoundation(type: "AccountRegistered", schemaVersion: 1, payload: payload)
                let fast = try? EventCatalogue.fastDecode(type: "AccountRegistered", schemaVersion: 1, payload: payload)
                #expect(fast == reference, "offset \(offset), length \(length)")
                #expect((fast == nil) == (special.unicodeScalars.first.map { $0.value < 0x20 } ?? false), "offset \(offset)")
            }
        }
    }

    @Test("an integer field decodes at its extremes and refuses overflow and fractions")
    func integers() throws {
        func payment(_ amount: String) -> [UInt8] {
            Array(#"{"amountCents":\#(amount),"assignmentId":"a","currency":"USD","paidBy":"b","paymentId":"p"}"#.utf8)
        }
        for amount in [Int.max, Int.min, 0, -1] {
            let event = try EventCatalogue.fastDecode(type: "PaymentRecorded", schemaVersion: 1, payload: payment(String(amount)))
            #expect(event == .paymentRecorded(PaymentRecorded(amountCents: amount, assignmentId: "a", currency: "USD", paidBy: "b", paymentId: "p")))
        }
        for bad in ["9223372036854775808", "1.5", "1e3", "01", "-"] {
            #expect(throws: FlatJSONError.self) { try EventCatalogue.fastDecode(type: "PaymentRecorded", schemaVersion: 1, payload: payment(bad)) }
        }
    }
}
