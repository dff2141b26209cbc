import Fluent
import SQLKit

struct CreateLoginThrottle: AsyncMigration {
    var name: String { "App.CreateLoginThrottle" }
    func prepare(on database: any Database) async throws {
        try await database.schema(LoginThrottle.schema)
            .id()
            .field("key_hash", .string, .required)
            .field("failures", .int, .required)
            .field("blocked_until", .datetime)
            .field("updated_at", .datetime, .required)
            .unique(on: "key_hash")
            .create()
        // Stale counts are deleted by age at each failure.
        try await database.sql.create(index: "LoginThrottle_updated_at_idx")
            .on(LoginThrottle.schema).column("updated_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(LoginThrottle.schema).delete()
    }
}
