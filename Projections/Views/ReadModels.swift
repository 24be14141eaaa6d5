/// The marketplace's read models, in the order `status` lists them.
public enum ReadModels {
    public static let all: [any Projection] = [
        InboxProjection(),
        TeamRosterProjection(),
        AffiliateRosterProjection(),
        InvitationsProjection(),
        JobsProjection(),
        AssignmentsProjection(),
        UsersProjection(),
        OutboxProjection(),
    ]
}
