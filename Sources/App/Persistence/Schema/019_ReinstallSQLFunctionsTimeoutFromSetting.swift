import Fluent

/// Installs the SQL functions again on databases that had an earlier text: The user's function: its time limit from the setting `passerelle.migration_timeout`, and a timeout answered as `MIGRATION_TIMEOUT`.
/// Kept for its name: the schema step now installs any changed text itself (`DatabaseBackend.installFunctions`).
struct ReinstallSQLFunctionsTimeoutFromSetting: AsyncMigration {
    var name: String { "App.ReinstallMigrationFunctions.timeoutFromSetting" }
    let backend: any DatabaseBackend

    func prepare(on database: any Database) async throws {
        try await backend.installFunctions(on: database.sql)
    }

    func revert(on database: any Database) async throws {}
}
