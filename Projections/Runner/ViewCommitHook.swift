public import GRDB

/// Something that writes each catch-up step of a view elsewhere as well (the PostgreSQL mirror), in step
/// with the view's own transaction.
///
/// The runner calls it inside each catch-up transaction of a view (not during a rebuild or a replay):
/// `willApply` before the batch's rows are written, `willCommit` after the rows and the checkpoint are
/// written and before the commit. A hook that throws rolls the batch back, so the view stays at its
/// previous checkpoint and the error reaches the caller of `catchUp`.
public protocol ViewCommitHook: Sendable {
    /// Before any of the batch's rows are written; `checkpoint` is the view's position before the batch.
    func willApply(view: any Projection, db: Database, checkpoint: UInt64) throws
    /// After the batch's rows and the new checkpoint are written, before the commit.
    func willCommit(view: any Projection, db: Database, from checkpoint: UInt64, to position: UInt64, recordedAtMicros: Int64) throws
}
