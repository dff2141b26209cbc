import Fluent
import SQLKit

/// An index on `created_at` of the sessions that are not migrated, for the purge's search. Migrated
/// sessions are kept for ever and soon outnumber the others; without it, each purge read every one
/// of them. Measured once by hand with EXPLAIN ANALYZE (no benchmark command) on PostgreSQL 15, with
/// a million migrated sessions and a hundred to purge, rows without documents (a real table is
/// larger): a sequential scan of 121–175 ms before, 0.3 ms through this index of 16 kB after.
/// A migration adds no entry to it (its new row is `migrated`), and its claim already rewrote the
/// row's indexes (`client_id` changes): `DROP_INDEX=` this name in `scripts/bench-instructions.sh`
/// printed 16,318 and 17,086 instructions fewer per migration in two runs (0.6 %). Saving an answer
/// leaves the status alone, so PostgreSQL still updates that row in place; completing or reopening a
/// session changes the status, and now writes the row's indexes once more (not measured).
struct IndexUnmigratedSessions: AsyncMigration {
    static let name = "TemporarySession_unmigrated_created_at_idx"

    func prepare(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("""
            CREATE INDEX \(ident: Self.name) ON \(ident: TemporarySession.schema) ("created_at")
             WHERE "status" <> \(literal: SessionStatus.migrated.rawValue)
            """).run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).drop(index: Self.name).run()
    }
}
