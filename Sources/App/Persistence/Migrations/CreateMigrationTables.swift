import Fluent
import SQLKit

struct CreateAccessToken: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AccessToken.schema)
            .id()
            .field("clientId", .uuid, .required, .references(Client.schema, "id", onDelete: .cascade))
            .field("token_hash", .string, .required)
            .field("expires_at", .datetime, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "token_hash")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AccessToken.schema).delete()
    }
}

struct CreateAuditEvent: AsyncMigration {
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
        let sql = database as! any SQLDatabase
        try await sql.create(index: "AuditEvent_session_id_idx").on(AuditEvent.schema).column("session_id").run()
        try await sql.create(index: "AuditEvent_client_id_idx").on(AuditEvent.schema).column("client_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AuditEvent.schema).delete()
    }
}

struct CreateQuestionnaireQuestion: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(QuestionnaireQuestion.schema)
            .id()
            .field("question_id", .string, .required)
            .field("question_order", .int, .required)
            .field("question_text", .string, .required)
            .field("question_type", .string, .required)
            .field("section", .string, .required)
            .unique(on: "question_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(QuestionnaireQuestion.schema).delete()
    }
}

/// The outcome of a session's migration, kept so a retry can answer it again without writing.
struct UpdateTemporarySessionAddMigrationResult: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(TemporarySession.schema)
            .field("migration_result", .json)
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(TemporarySession.schema).deleteField("migration_result").update()
    }
}
