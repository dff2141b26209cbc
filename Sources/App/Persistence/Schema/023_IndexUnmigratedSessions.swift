import Fluent
import SQLKit

/// An index on `created_at` of the sessions that are not migrated, for the purge's search: migrated
/// sessions are kept for ever and soon outnumber the others, and without it each purge read them all
/// (measured in `docs/benchmarks.md`).
struct IndexUnmigratedSessions: AsyncMigration {
    var name: String { "App.IndexUnmigratedSessions" }
    static let indexName = "TemporarySession_unmigrated_created_at_idx"

    func prepare(on database: any Database) async throws {
        try await database.sql.raw(
            """
            CREATE INDEX \(ident: Self.indexName) ON \(ident: TemporarySession.schema) ("created_at")
             WHERE "status" <> \(literal: SessionStatus.migrated.rawValue)
            """
        ).run()
    }

    func revert(on database: any Database) async throws {
        try await database.sql.drop(index: Self.indexName).run()
    }
}
