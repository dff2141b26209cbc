import Fluent
import Foundation

/// Who did what to which session and client, and how it ended.
final class AuditEvent: Model, @unchecked Sendable {
    static let schema = "AuditEvent"
    /// The event a written migration leaves (the SQL function writes the same).
    static let sessionMigrated = "session_migrated"

    @ID(key: .id) var id: UUID?
    @Field(key: "event_type") var eventType: String
    @Field(key: "actor_type") var actorType: String
    @OptionalField(key: "actor_id") var actorID: UUID?
    @OptionalField(key: "session_id") var sessionID: UUID?
    @OptionalField(key: "client_id") var clientID: UUID?
    @Field(key: "result") var result: String
    @Field(key: "details") var details: SessionMigrationAuditDetails
    @Field(key: "created_at") var createdAt: Date

    init() {}
}
