import Events
import Foundation
public import Marketplace

/// A command as a client sent it, before the policy decides who it acts as: its actor may be missing
/// (a `user` or `system` key then fills it in).
public struct CommandRequest: Sendable, Hashable {
    /// The actor the body names, nil when it names none.
    public var actor: String?
    public var commandId: String?
    public var correlationId: String?
    public var command: Command

    public init(actor: String?, commandId: String? = nil, correlationId: String? = nil, _ command: Command) {
        self.actor = actor
        self.commandId = commandId
        self.correlationId = correlationId
        self.command = command
    }

    /// A request that names its actor.
    public init(_ envelope: CommandEnvelope) {
        self.init(actor: envelope.actor, commandId: envelope.commandId, correlationId: envelope.correlationId, envelope.command)
    }

    /// Reads a command body in its `exec` JSON form (`CommandEnvelope.parse(jsonBytes:)`, with its
    /// checks and messages), where the `actor` field may be left out.
    public static func parse(jsonBytes: [UInt8]) throws(CommandRejection) -> CommandRequest {
        let parsed = try CommandEnvelope.parse(jsonBytes: jsonBytes, actorOptional: true)
        var request = CommandRequest(parsed.envelope)
        if !parsed.actorGiven { request.actor = nil }
        return request
    }
}

/// A command the policy allowed: the envelope to execute (its actor filled in) and the principal whose
/// key sent it. When `operatorPrincipal` is set, the command acts on behalf of its actor and the log
/// should record that principal beside the actor.
public struct AuthorizedCommand: Sendable, Hashable {
    public var envelope: CommandEnvelope
    /// Who presented the key.
    public var principal: Principal

    public init(envelope: CommandEnvelope, principal: Principal) {
        self.envelope = envelope
        self.principal = principal
    }

    /// The principal acting on behalf of the command's actor (an operator key, or a system key naming a
    /// user); nil when the key's own actor issues the command.
    public var operatorPrincipal: Principal? {
        principal.role == .operator || envelope.actor != principal.actor ? principal : nil
    }
}

/// The policy's answer on a command.
public enum CommandDecision: Sendable, Hashable {
    case allowed(AuthorizedCommand)
    /// The reason says what to do instead; it holds no personal data (no actor or key ids).
    case forbidden(reason: String)
}
