import Fluent
import Foundation
import SQLKit

/// PostgreSQL only: installs the migration's SQL functions from `Resources/sql`:
/// `passerelle_migrate_session`, the writes shared by the application and the user's function, and
/// `migrate_simulator_to_existing_client(p_session_token, p_client_email) RETURNS json`, the user's
/// documented function. On SQLite this migration does nothing.
struct CreateMigrateSimulatorFunction: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await MigrationFunctions.install(on: database)
    }

    func revert(on database: any Database) async throws {
        try await MigrationFunctions.drop(on: database)
    }
}

/// Installs the functions' current text again on databases that installed an earlier one; `name` says
/// which change it brings. Its revert leaves the current functions in place: earlier texts are not kept.
struct ReinstallMigrationFunctions: AsyncMigration {
    let name: String

    /// The row-by-row first version replaced by the set-based one.
    static let setBased = ReinstallMigrationFunctions(name: "App.UpdateMigrateSimulatorFunctionSetBased")
    /// The stored documents copied from the session's rows, no longer through PL/pgSQL variables.
    static let documentsCopiedAsStored = ReinstallMigrationFunctions(name: "App.ReinstallMigrationFunctions.documentsCopiedAsStored")
    /// The user's function: its time limit from the setting `passerelle.migration_timeout`, and a
    /// timeout answered as `MIGRATION_TIMEOUT` instead of raised.
    static let timeoutFromSetting = ReinstallMigrationFunctions(name: "App.ReinstallMigrationFunctions.timeoutFromSetting")

    func prepare(on database: any Database) async throws {
        try await MigrationFunctions.install(on: database)
    }

    func revert(on database: any Database) async throws {}
}

/// The SQL functions' definitions, read from the package's `sql` resources.
enum MigrationFunctions {
    /// In dependency order: the shared writes first.
    static let files = ["passerelle_migrate_session", "migrate_simulator_to_existing_client"]

    static func install(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        guard sql.dialect.name == "postgresql" else { return }
        for name in files {
            try await sql.raw(SQLQueryString(try definition(name))).run()
        }
    }

    static func drop(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        guard sql.dialect.name == "postgresql" else { return }
        try await sql.raw("DROP FUNCTION IF EXISTS migrate_simulator_to_existing_client(text, text)").run()
        try await sql.raw("DROP FUNCTION IF EXISTS passerelle_migrate_session(text, uuid, text, uuid, timestamptz, integer)").run()
    }

    static func definition(_ name: String) throws -> String {
        guard let url = Bundle.module.url(forResource: name, withExtension: "sql", subdirectory: "sql") else {
            throw MigrationFunctionsMissing(name: name)
        }
        return try String(contentsOf: url, encoding: .utf8)
    }

    struct MigrationFunctionsMissing: Error, CustomStringConvertible {
        let name: String
        var description: String { "\(name).sql absent du paquet" }
    }
}
