import Fluent

/// Installs the SQL functions again on databases that had an earlier text: The stored documents copied from the session's rows, no longer through PL/pgSQL variables.
/// Kept for its name: the schema step now installs any changed text itself (`DatabaseBackend.installFunctions`).
struct ReinstallSQLFunctionsCopyingDocuments: AsyncMigration {
    var name: String { "App.ReinstallMigrationFunctions.documentsCopiedAsStored" }
    let backend: any DatabaseBackend

    func prepare(on database: any Database) async throws {
        try await backend.installFunctions(on: database.sql)
    }

    func revert(on database: any Database) async throws {}
}
