import Fluent

/// Keeps a row of these tables whole in its page up to a page's size (PostgreSQL's
/// `toast_tuple_target` 8160 bytes instead of 2 kB; nothing on SQLite). These rows carry the
/// migration's documents (a product's metadata with its calculation details, 3 to 6 kB), which a
/// migration then writes and reads in one place instead of in TOAST chunks. A larger row still has
/// its largest values moved out, so nothing is refused. Only rows written from now on are affected.
struct KeepDocumentsInTheirRows: AsyncMigration {
    var name: String { "App.KeepDocumentsInTheirRows" }
    let backend: any DatabaseBackend

    static let tables = [TemporaryEligibility.schema, ClientProduitEligible.schema, Simulation.schema]
    /// The largest target PostgreSQL accepts: a heap page's room for one row.
    static let rowTarget = 8160

    func prepare(on database: any Database) async throws {
        try await backend.setRowTarget(Self.rowTarget, of: Self.tables, on: database.sql)
    }

    func revert(on database: any Database) async throws {
        try await backend.setRowTarget(nil, of: Self.tables, on: database.sql)
    }
}
