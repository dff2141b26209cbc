import Fluent
import SQLKit

struct CreateTemporarySession: AsyncMigration {
    var name: String { "App.CreateTemporarySession" }
    func prepare(on database: any Database) async throws {
        try await database.schema(TemporarySession.schema)
            .id()
            .field("session_token_hash", .string, .required)
            .field("status", .string, .required)
            .field("ruleset_version", .string)
            .field("evaluated_on", .string)
            .field("completed_at", .datetime)
            .field("abandoned_at", .datetime)
            .field("abandon_reason", .string)
            .field("migrated_at", .datetime)
            .field("client_id", .uuid, .references(Client.schema, "id", onDelete: .restrict))
            .field("last_activity", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "session_token_hash")
            .constraint(.sql(unsafeRaw: "CHECK (status IN ('in_progress', 'completed', 'migrated', 'abandoned'))"))
            .create()
        let sql = database.sql
        try await sql.create(index: "TemporarySession_status_idx").on(TemporarySession.schema).column("status").run()
        try await sql.create(index: "TemporarySession_client_id_idx").on(TemporarySession.schema).column("client_id").run()
        try await sql.create(index: "TemporarySession_created_at_idx").on(TemporarySession.schema).column("created_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(TemporarySession.schema).delete()
    }
}
