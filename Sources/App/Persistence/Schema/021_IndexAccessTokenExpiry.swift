import Fluent
import SQLKit

/// Expired access tokens are deleted by age at each sign-in.
struct IndexAccessTokenExpiry: AsyncMigration {
    var name: String { "App.IndexAccessTokenExpiry" }
    func prepare(on database: any Database) async throws {
        try await database.sql.create(index: "AccessToken_expires_at_idx")
            .on(AccessToken.schema).column("expires_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.sql.drop(index: "AccessToken_expires_at_idx").run()
    }
}
