public import EventLog
import Events
import Foundation
import PosixFiles
import Projections
public import Marketplace

/// Command ids around one run of commands, the same for the CLI and the server: before anything is
/// decided each id is claimed for the command as sent (`CommandIdRegistry`), so the same id with another
/// command is refused (`commandIdReused`, nothing appended); after the run the applied ids are recorded,
/// the ids of refused commands freed, and a retry answered with its first result whole (the events the
/// first execution appended, read back from the log: the same streams and generated ids).
public struct CommandIdGuard: Sendable {
    /// An id claimed for one command, settled once the command has run.
    public struct Ticket: Sendable {
        let commandId: String
        let fingerprint: Data
    }

    public let registry: CommandIdRegistry
    public let log: any EventStoreReader

    public init(registry: CommandIdRegistry, log: any EventStoreReader) {
        self.registry = registry
        self.log = log
    }

    /// The guard of the store at `storeDirectory` over its `log` (the registry's file created when missing;
    /// `registry.recovery` says when a damaged one was set aside).
    public static func open(storeDirectory: String, log: any EventStoreReader) throws(ApplicationError) -> CommandIdGuard {
        do {
            return CommandIdGuard(registry: try CommandIdRegistry(storeDirectory: storeDirectory), log: log)
        } catch {
            // A full disk or a read-only file is said as such (exit 74 or 77), as for every file of the store.
            let path = (storeDirectory as NSString).appendingPathComponent(CommandIdRegistry.relativePath)
            let failure = StorageFailure(error, operation: "opening", path: path)
            throw ApplicationError(ApplicationError.status(failure), failure.message("the command id registry", path: path,
                otherwise: "Check the store's permissions; the file only caches what the log knows, so it may be deleted."))
        }
    }

    /// The refusal of an id already applied with another command.
    public static let reused = CommandRejection(.commandIdReused,
        "this command id was already used for another command, which was applied: use a fresh command id for a new command (a retry must repeat the command exactly to get its first result)")

    /// Claims the envelope's command id: a ticket to settle after running it (nil without an id), or
    /// the refusal when the id already stands for another command.
    public func claim(_ envelope: CommandEnvelope) -> Result<Ticket?, CommandRejection> {
        guard let commandId = envelope.commandId else { return .success(nil) }
        let fingerprint = CommandIdRegistry.fingerprint(envelope)
        if registry.claim(commandId, fingerprint: fingerprint) == .reused { return .failure(Self.reused) }
        return .success(Ticket(commandId: commandId, fingerprint: fingerprint))
    }

    /// Frees the ids of commands that were never run (their run failed as a whole).
    public func release(_ tickets: [Ticket?]) {
        for case let ticket? in tickets { registry.release(ticket.commandId, fingerprint: ticket.fingerprint) }
    }

    /// Settles commands run with these tickets (one per result, in order): records the ids applied,
    /// frees those of commands that failed, and answers each duplicate with its first result whole.
    public func settle(_ tickets: [Ticket?], _ results: [Result<CommandOutcome, MarketplaceError>]) -> [Result<CommandOutcome, MarketplaceError>] {
        var applied: [(commandId: String, fingerprint: Data)] = []
        let settled = zip(tickets, results).map { ticket, result -> Result<CommandOutcome, MarketplaceError> in
            switch result {
            case .success(let outcome) where outcome.isDuplicate:
                return .success(firstResult(of: outcome))
            case .success:
                if let ticket { applied.append((ticket.commandId, ticket.fingerprint)) }
            case .failure:
                if let ticket { registry.release(ticket.commandId, fingerprint: ticket.fingerprint) }
            }
            return result
        }
        registry.recordApplied(applied)
        return settled
    }

    /// A duplicate's outcome with the events its first execution appended, read back from the log
    /// (the duplicate as it is when the log cannot be read: its positions still name the first commit).
    func firstResult(of duplicate: CommandOutcome) -> CommandOutcome {
        var events: [MarketplaceEvent] = []
        do {
            let cursor = try log.events(from: duplicate.positions.lowerBound,
                                        filter: EventFilter(untilPosition: duplicate.positions.upperBound))
            while let recorded = try cursor.next() {
                events.append(try EventCatalogue.decode(type: recorded.type, schemaVersion: recorded.schemaVersion,
                                                        payload: recorded.payload))
            }
        } catch {
            return duplicate
        }
        var whole = duplicate
        whole.events = events
        return whole
    }
}
