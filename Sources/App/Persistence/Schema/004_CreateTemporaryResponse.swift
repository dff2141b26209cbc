import Fluent
import SQLKit

struct CreateTemporaryResponse: AsyncMigration {
    var name: String { "App.CreateTemporaryResponse" }
    func prepare(on database: any Database) async throws {
        try await database.schema(TemporaryResponse.schema)
            .id()
            .field("session_id", .uuid, .required, .references(TemporarySession.schema, "id", onDelete: .cascade))
            .field("question_id", .string, .required)
            .field("response_value", .json, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "session_id", "question_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(TemporaryResponse.schema).delete()
    }
}
