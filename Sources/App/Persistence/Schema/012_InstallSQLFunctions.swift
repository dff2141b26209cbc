import Fluent

/// Installs the migration's SQL functions from `Resources/sql` (PostgreSQL; nothing on SQLite):
/// `passerelle_migrate_session`, the writes shared by the application and the user's function, and
/// `migrate_simulator_to_existing_client(p_session_token, p_client_email) RETURNS json`, the user's
/// documented function.
struct InstallSQLFunctions: AsyncMigration {
    var name: String { "App.CreateMigrateSimulatorFunction" }
    let backend: any DatabaseBackend

    func prepare(on database: any Database) async throws {
        try await backend.installFunctions(on: database.sql)
    }

    func revert(on database: any Database) async throws {
        try await backend.dropFunctions(on: database.sql)
    }
}
