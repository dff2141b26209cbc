import Fluent
import SQLKit

/// PostgreSQL only: compress the large JSON columns (calculation details and their copies) with lz4
/// instead of pglz, several times cheaper on writes. Skipped when the server was built without lz4;
/// on SQLite this migration does nothing.
struct UseLZ4ForJSONColumns: AsyncMigration {
    static let columns: [(table: String, column: String)] = [
        (TemporaryEligibility.schema, "calculation_details"),
        (Simulation.schema, "answers"),
        (Simulation.schema, "results"),
        (ClientProduitEligible.schema, "metadata"),
        (TemporarySession.schema, "migration_result"),
        (AuditEvent.schema, "details"),
    ]

    func prepare(on database: any Database) async throws {
        try await Self.setCompression("lz4", of: Self.columns, on: database)
    }

    func revert(on database: any Database) async throws {
        try await Self.setCompression("pglz", of: Self.columns, on: database)
    }

    /// Compresses `columns` with `method` from now on, when the server has it; PostgreSQL only.
    static func setCompression(_ method: String, of columns: [(table: String, column: String)], on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        guard sql.dialect.name == "postgresql" else { return }
        let available = try await sql.raw("""
            SELECT count(*) AS n FROM pg_settings
            WHERE name = 'default_toast_compression' AND \(bind: method) = ANY(enumvals)
            """).first()?.decode(column: "n", as: Int.self) ?? 0
        guard available > 0 else { return }
        for (table, column) in columns {
            try await sql.raw("ALTER TABLE \(ident: table) ALTER COLUMN \(ident: column) SET COMPRESSION \(unsafeRaw: method)").run()
        }
    }
}
