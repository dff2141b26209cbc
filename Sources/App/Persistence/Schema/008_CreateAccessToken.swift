import Fluent
import SQLKit

struct CreateAccessToken: AsyncMigration {
    var name: String { "App.CreateAccessToken" }
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
