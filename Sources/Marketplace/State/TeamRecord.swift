import Events

/// A team's admins and members and its pending invitations.
struct TeamRecord: StateRecord, Hashable {
    struct PendingInvitation: Sendable, Hashable {
        var userId: String
        var role: TeamRole
    }

    static let keyPrefix = "team:"
    var teamId: String
    var createdBy: String
    var members: [String: TeamRole]
    /// Invitation id -> invitee.
    var invitations: [String: PendingInvitation]
    var version: Int

    init(teamId: String, createdBy: String, members: [String: TeamRole] = [:],
         invitations: [String: PendingInvitation] = [:], version: Int) {
        self.teamId = teamId
        self.createdBy = createdBy
        self.members = members
        self.invitations = invitations
        self.version = version
    }

    func isAdmin(_ userId: String) -> Bool { members[userId] == .admin }
    var adminCount: Int { members.values.count(where: { $0 == .admin }) }

    // Written by hand: members and invitations are maps, stored as sorted lists of "id role" entries.
    init(stateBytes: [UInt8]) throws(StateRecordError) {
        do throws(FlatJSONError) {
            self = try FlatJSONReader.read(stateBytes) { reader throws(FlatJSONError) in try Self(reading: &reader) }
        } catch {
            throw StateRecordError(reason: "a \(Self.keyPrefix) record is unreadable (\(error))")
        }
    }

    var stateBytes: [UInt8] {
        var writer = FlatJSONWriter(capacity: 128)
        write(to: &writer)
        return writer.finish()
    }

    private init(reading reader: inout FlatJSONReader) throws(FlatJSONError) {
        var teamId: String?, createdBy: String?, memberList: [String] = [], invitationList: [String] = [], version = 0
        while try reader.nextKey() {
            if reader.isKey("createdBy") { createdBy = try reader.string("createdBy") }
            else if reader.isKey("invitations") { invitationList = try reader.strings("invitations") }
            else if reader.isKey("members") { memberList = try reader.strings("members") }
            else if reader.isKey("teamId") { teamId = try reader.string("teamId") }
            else if reader.isKey("version") { version = try reader.int("version") }
            else { try reader.skipValue() }
        }
        var members: [String: TeamRole] = [:]
        for entry in memberList {
            let parts = entry.split(separator: " ")
            guard parts.count == 2, let role = TeamRole(rawValue: String(parts[1])) else { throw FlatJSONError("bad member entry") }
            members[String(parts[0])] = role
        }
        var invitations: [String: PendingInvitation] = [:]
        for entry in invitationList {
            let parts = entry.split(separator: " ")
            guard parts.count == 3, let role = TeamRole(rawValue: String(parts[2])) else { throw FlatJSONError("bad invitation entry") }
            invitations[String(parts[0])] = PendingInvitation(userId: String(parts[1]), role: role)
        }
        self.init(teamId: try FlatJSONReader.required(teamId, "teamId"), createdBy: try FlatJSONReader.required(createdBy, "createdBy"),
                  members: members, invitations: invitations, version: version)
    }

    private func write(to writer: inout FlatJSONWriter) {
        writer.field("createdBy", createdBy)
        writer.field("invitations", invitations.map { "\($0.key) \($0.value.userId) \($0.value.role.rawValue)" }.sorted())
        writer.field("members", members.map { "\($0.key) \($0.value.rawValue)" }.sorted())
        writer.field("teamId", teamId)
        writer.field("version", version)
    }
}
