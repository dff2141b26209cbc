import Fluent
import SQLKit

/// The outcome of a session's migration, kept so a retry can answer it again without writing.
struct UpdateTemporarySessionAddMigrationResult: AsyncMigration {
    var name: String { "App.UpdateTemporarySessionAddMigrationResult" }
    func prepare(on database: any Database) async throws {
        try await database.schema(TemporarySession.schema)
            .field("migration_result", .json)
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(TemporarySession.schema).deleteField("migration_result").update()
    }
}
