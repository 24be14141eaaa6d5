extension CommandEnvelope {
    /// Checks an actor id as every command checks its actor (1 to 128 bytes, no spaces, control characters
    /// or '|'), for front ends that take an actor outside a command (`teamlog keys add --actor`).
    public static func checkActor(_ actor: String) throws(CommandRejection) {
        try Validation.id(actor, "actor")
    }
}
