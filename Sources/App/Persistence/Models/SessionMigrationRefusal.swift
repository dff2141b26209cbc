import Fluent
import Foundation

/// A migration that was refused (the session or the client did not allow it) or failed (the server
/// could not finish it), by error code: no answer, no token, no email.
final class SessionMigrationRefusal: Model, @unchecked Sendable {
    static let schema = "SessionMigrationRefusal"

    @ID(key: .id) var id: UUID?
    @Field(key: "created_at") var createdAt: Date
    /// `SessionMigrationActor.metricPath`: signup, existing_client, operator, command_line.
    @Field(key: "path") var path: String
    /// `refused` or `failed`.
    @Field(key: "outcome") var outcome: String
    @Field(key: "error_code") var errorCode: String
    @Field(key: "actor_type") var actorType: String
    @OptionalField(key: "actor_id") var actorID: UUID?
    @OptionalField(key: "session_id") var sessionID: UUID?
    @OptionalField(key: "client_id") var clientID: UUID?

    init() {}
}
