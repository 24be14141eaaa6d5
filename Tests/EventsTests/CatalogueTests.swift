import Foundation
import Testing
@testable import Events

struct CatalogueTests {
    /// `ProviderInvited` payloads as schema version 1 wrote them (before teams), kept byte for byte.
    static let storedV1Samples: [(bytes: [UInt8], expected: ProviderInvited)] = [
        (Array(#"{"email":"maria.lopez@example.com","invitationId":"inv-000001","inviter":"u-buyer-7","token":"tk-5f2c9a01"}"#.utf8),
         ProviderInvited(email: "maria.lopez@example.com", invitationId: "inv-000001", invitedBy: "u-buyer-7", teamId: nil, token: "tk-5f2c9a01")),
        (Array(#"{"token":"tk-0b7d","inviter":"u-aff-2","invitationId":"inv-000002","email":"chen.wei@example.org"}"#.utf8),
         ProviderInvited(email: "chen.wei@example.org", invitationId: "inv-000002", invitedBy: "u-aff-2", teamId: nil, token: "tk-0b7d")),
    ]

    @Test("stored ProviderInvited v1 records upcast to v2 (inviter becomes invitedBy, no team), on both decoding paths")
    func providerInvitedV1Upcasts() throws {
        for sample in Self.storedV1Samples {
            let fast = try EventCatalogue.decode(type: "ProviderInvited", schemaVersion: 1, payload: sample.bytes)
            let reference = try EventCatalogue.decodeWithFoundation(type: "ProviderInvited", schemaVersion: 1, payload: sample.bytes)
            #expect(fast == .providerInvited(sample.expected))
            #expect(reference == .providerInvited(sample.expected))
            // The upcast event is written back as the current version.
            #expect(fast.schemaVersion == 2)
        }
    }

    @Test("a v2 payload read as v1 is refused: versions are not guessed")
    func versionsAreNotGuessed() {
        let v2 = ProviderInvited(email: "a@b.example", invitationId: "i", invitedBy: "u", teamId: "t", token: "k").encodedPayload()
        #expect(throws: EventDecodingError.self) { try EventCatalogue.decode(type: "ProviderInvited", schemaVersion: 1, payload: v2) }
    }

    @Test("an unknown type or version is a typed error naming the type and version, never the payload")
    func unknownTypesAndVersions() {
        let payload = Array(#"{"email":"secret.person@example.com"}"#.utf8)
        #expect(throws: EventDecodingError.unknownType(type: "ProviderTeleported", schemaVersion: 1)) {
            try EventCatalogue.decode(type: "ProviderTeleported", schemaVersion: 1, payload: payload)
        }
        #expect(throws: EventDecodingError.unsupportedVersion(type: "JobPosted", schemaVersion: 9, current: 1)) {
            try EventCatalogue.decode(type: "JobPosted", schemaVersion: 9, payload: payload)
        }
        do {
            _ = try EventCatalogue.decode(type: "AccountRegistered", schemaVersion: 1, payload: payload)
            Issue.record("an incomplete payload was accepted")
        } catch {
            #expect(error.description.contains("AccountRegistered"))
            #expect(!error.description.contains("secret.person"))
        }
    }

    /// Stored payloads of every older version still read, by type and version (what old logs hold).
    static let storedOlderSamples: [String: [UInt16: [[UInt8]]]] = [
        "ProviderInvited": [1: storedV1Samples.map(\.bytes)],
    ]

    @Test("the catalogue lists every type once, each decodable at every readable version it claims")
    func catalogueEntries() throws {
        var generator = SampleGenerator(seed: 7)
        let samples = sampleEvents(&generator)
        let names = EventCatalogue.entries.map(\.type)
        #expect(Set(names).count == names.count)
        for entry in EventCatalogue.entries {
            #expect(entry.readableVersions.last == entry.currentVersion, "\(entry.type)")
            for version in entry.readableVersions {
                let payloads = version == entry.currentVersion
                    ? samples.filter { $0.eventType == entry.type }.map { $0.encodedPayload() }
                    : Self.storedOlderSamples[entry.type]?[version] ?? []
                #expect(!payloads.isEmpty, "no stored payload of \(entry.type) v\(version) to decode")
                for payload in payloads {
                    let fast = try EventCatalogue.decode(type: entry.type, schemaVersion: version, payload: payload)
                    let reference = try EventCatalogue.decodeWithFoundation(type: entry.type, schemaVersion: version, payload: payload)
                    #expect(fast == reference, "\(entry.type) v\(version)")
                    #expect(fast.eventType == entry.type)
                    #expect(fast.schemaVersion == entry.currentVersion)
                }
            }
        }
    }

    @Test("docs/EVENTS.md's table of events is the one the declarations give")
    func documentationIsCurrent() throws {
        let url = Self.packageRoot.appendingPathComponent("docs/EVENTS.md")
        let text = try String(contentsOf: url, encoding: .utf8)
        let begin = "<!-- catalogue:begin -->\n", end = "<!-- catalogue:end -->"
        let start = try #require(text.range(of: begin)), finish = try #require(text.range(of: end))
        let current = String(text[start.upperBound..<finish.lowerBound])
        let expected = EventCatalogue.documentationTable()
        if current != expected, ProcessInfo.processInfo.environment["TEAMLOG_UPDATE_DOCS"] == "1" {
            try (String(text[..<start.upperBound]) + expected + String(text[finish.lowerBound...])).write(to: url, atomically: true, encoding: .utf8)
            return
        }
        #expect(current == expected, "docs/EVENTS.md is stale: run TEAMLOG_UPDATE_DOCS=1 swift test --filter CatalogueTests")
    }

    @Test("each declaration's fields are in sorted key order and name each stored property once")
    func declarationsAreSorted() {
        for entry in EventCatalogue.entries {
            let names = entry.fields.map(\.name)
            #expect(names == names.sorted(), "\(entry.type)")
            #expect(Set(names).count == names.count, "\(entry.type)")
        }
    }

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("each event's stream follows the naming scheme")
    func streams() {
        #expect(ProviderInvited(email: "e", invitationId: "i1", invitedBy: "u", token: "t").event.stream == "invitation-i1")
        #expect(EmailAddressClaimed(email: "a@b.example", userId: "u").event.stream == "email-a@b.example")
        #expect(AffiliateRosterJoined(affiliateManagerId: "m", invitationId: "i", providerId: "p").event.stream == "roster-m")
        #expect(MessageSent(body: "b", messageId: "m", senderId: "s", threadId: "t9").event.stream == "thread-t9")
        #expect(PaymentRecorded(amountCents: 1, assignmentId: "a3", currency: "USD", paidBy: "b", paymentId: "p").event.stream == "assignment-a3")
    }
}
