import Fluent
import SQLKit

struct CreateAuditEvent: AsyncMigration {
    var name: String { "App.CreateAuditEvent" }
    func prepare(on database: any Database) async throws {
        try await database.schema(AuditEvent.schema)
            .id()
            .field("event_type", .string, .required)
            .field("actor_type", .string, .required)
            .field("actor_id", .uuid)
            .field("session_id", .uuid)
            .field("client_id", .uuid)
            .field("result", .string, .required)
            .field("details", .json, .required)
            .field("created_at", .datetime, .required)
            .create()
        let sql = database.sql
        try await sql.create(index: "AuditEvent_session_id_idx").on(AuditEvent.schema).column("session_id").run()
        try await sql.create(index: "AuditEvent_client_id_idx").on(AuditEvent.schema).column("client_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AuditEvent.schema).delete()
    }
}
