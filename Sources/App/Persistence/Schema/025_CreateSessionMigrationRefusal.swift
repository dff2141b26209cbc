import Fluent
import SQLKit

/// The migrations that were refused or failed, for the operators' console (error rate by code,
/// the migrations list), and an index to list the audit trail by date.
struct CreateSessionMigrationRefusal: AsyncMigration {
    var name: String { "App.CreateSessionMigrationRefusal" }

    func prepare(on database: any Database) async throws {
        try await database.schema(SessionMigrationRefusal.schema)
            .id()
            .field("created_at", .datetime, .required)
            .field("path", .string, .required)
            .field("outcome", .string, .required)
            .field("error_code", .string, .required)
            .field("actor_type", .string, .required)
            .field("actor_id", .uuid)
            .field("session_id", .uuid)
            .field("client_id", .uuid)
            .create()
        let sql = database.sql
        try await sql.create(index: "SessionMigrationRefusal_created_at_idx").on(SessionMigrationRefusal.schema)
            .column("created_at").run()
        try await sql.create(index: "AuditEvent_created_at_idx").on(AuditEvent.schema).column("created_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.sql.drop(index: "AuditEvent_created_at_idx").run()
        try await database.schema(SessionMigrationRefusal.schema).delete()
    }
}
