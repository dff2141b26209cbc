import Fluent

/// Installs the SQL functions again on databases that had an earlier text: The row-by-row first version of the migration function replaced by the set-based one.
/// Kept for its name: the schema step now installs any changed text itself (`DatabaseBackend.installFunctions`).
struct ReinstallSQLFunctionsSetBased: AsyncMigration {
    var name: String { "App.UpdateMigrateSimulatorFunctionSetBased" }
    let backend: any DatabaseBackend

    func prepare(on database: any Database) async throws {
        try await backend.installFunctions(on: database.sql)
    }

    func revert(on database: any Database) async throws {}
}
