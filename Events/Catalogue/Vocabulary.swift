/// What kind of account a user has.
public enum AccountRole: String, PayloadChoice {
    case buyer
    case provider
    case providerCompany
    case affiliateManager
    case staffingManager
}

/// Who may see a job post.
public enum JobVisibility: String, PayloadChoice {
    case `public`
    case `private`
}

/// Why a job is posted.
public enum JobPurpose: String, PayloadChoice {
    /// Work to be done for the poster.
    case work
    /// A provider company looking for affiliated contractors (must be private).
    case affiliateRecruitment
}

/// How a Message Center thread began.
public enum ThreadKind: String, PayloadChoice {
    /// A buyer's invitation to an interview.
    case interview
    /// A user-to-user message ("Send a Message").
    case direct
    /// A message from the team room to a team member.
    case team
}

/// Which contact details a user shared.
public enum ContactKind: String, PayloadChoice {
    /// Only the marketplace address `USERID@odesk.com`.
    case marketplaceAddress
    /// A personal email address (and optionally a phone number).
    case personal
}

/// A member's role in a team.
public enum TeamRole: String, PayloadChoice {
    case admin
    case member
    /// A provider working on behalf of the provider company that owns the team.
    case affiliatedContractor
}

/// How someone joined a team.
public enum TeamJoinRoute: String, PayloadChoice {
    /// Created the team.
    case creator
    /// Accepted an invitation to the team (by email or user id).
    case teamInvitation
    /// Signed up through an invitation to the network that named the team.
    case networkInvitation
}

/// The marketplace email address of a user: `USERID@odesk.com`.
public enum MarketplaceAddress {
    public static let domain = "odesk.com"
    public static func of(_ userId: String) -> String { userId + "@" + domain }
}
