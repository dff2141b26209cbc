import Fluent
import SQLKit

/// Drops the index on `TemporarySession.status`. Few values, so it never narrows a search much, yet
/// every status change had to update it, and with statistics that think few sessions are completed
/// PostgreSQL's generic plan for the claim scanned it instead of the token's unique index: a scan of
/// every completed session per migration.
struct DropTemporarySessionStatusIndex: AsyncMigration {
    var name: String { "App.DropTemporarySessionStatusIndex" }
    func prepare(on database: any Database) async throws {
        try await database.sql.drop(index: "TemporarySession_status_idx").ifExists().run()
    }

    func revert(on database: any Database) async throws {
        try await database.sql.create(index: "TemporarySession_status_idx").on(TemporarySession.schema).column("status").run()
    }
}
