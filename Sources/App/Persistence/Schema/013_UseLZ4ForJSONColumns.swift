import Fluent

/// Compresses the large JSON columns (calculation details and their copies) with lz4 instead of
/// pglz, several times cheaper on writes (PostgreSQL, when built with lz4; nothing on SQLite).
struct UseLZ4ForJSONColumns: AsyncMigration {
    var name: String { "App.UseLZ4ForJSONColumns" }
    let backend: any DatabaseBackend

    static let columns: [(table: String, column: String)] = [
        (TemporaryEligibility.schema, "calculation_details"),
        (Simulation.schema, "answers"),
        (Simulation.schema, "results"),
        (ClientProduitEligible.schema, "metadata"),
        (TemporarySession.schema, "migration_result"),
        (AuditEvent.schema, "details"),
    ]

    func prepare(on database: any Database) async throws {
        try await backend.setCompression("lz4", of: Self.columns, on: database.sql)
    }

    func revert(on database: any Database) async throws {
        try await backend.setCompression("pglz", of: Self.columns, on: database.sql)
    }
}
