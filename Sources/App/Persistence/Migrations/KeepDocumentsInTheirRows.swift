import Fluent
import SQLKit

/// PostgreSQL only: a row of these tables stays whole in its page up to a page's size
/// (`toast_tuple_target` 8160 bytes) instead of PostgreSQL's default of 2 kB, past which it
/// compresses the row's values and moves them, down to short texts such as a product's notes, to
/// the table's TOAST relation. These rows carry the migration's documents: a product's metadata
/// with its calculation details (3 to 6 kB), a simulation's answers. A migration then writes and
/// reads each product's row in one place instead of also writing TOAST chunks and their index. A row
/// larger than a page still has its largest values compressed and moved out, so nothing is refused.
/// Only rows written from now on are affected. On SQLite this migration does nothing.
struct KeepDocumentsInTheirRows: AsyncMigration {
    static let tables = [TemporaryEligibility.schema, ClientProduitEligible.schema, Simulation.schema]
    /// The largest target PostgreSQL accepts: a heap page's room for one row.
    static let rowTarget = 8160

    func prepare(on database: any Database) async throws {
        try await Self.alterTables("SET (toast_tuple_target = \(Self.rowTarget))", on: database)
    }

    func revert(on database: any Database) async throws {
        try await Self.alterTables("RESET (toast_tuple_target)", on: database)
    }

    /// Applies `change` (an `ALTER TABLE` action) to each of `tables`; PostgreSQL only.
    private static func alterTables(_ change: String, on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        guard sql.dialect.name == "postgresql" else { return }
        for table in tables {
            try await sql.raw("ALTER TABLE \(ident: table) \(unsafeRaw: change)").run()
        }
    }
}
