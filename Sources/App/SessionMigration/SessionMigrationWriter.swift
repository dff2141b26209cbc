import Fluent
import Foundation
import SQLKit

/// How a migration's writes reach the database, chosen with the database in `configure`: in Swift
/// on SQLite (`InProcessMigrationWriter`), one SQL function on PostgreSQL (`PostgresMigrationWriter`).
/// Both write nothing when the session cannot be claimed; `SQLFunctionParityTests` checks they leave
/// the same rows.
protocol SessionMigrationWriter: Sendable {
    /// Whether a migration into an existing client is one statement, its own transaction.
    var writesExistingClientInOneStatement: Bool { get }

    /// The first statement of a migration's transaction: its time limit, where the database keeps one.
    func begin(on sql: any SQLDatabase, timeoutMilliseconds: Int) async throws

    func write(
        hash: String, client: Client, actor: SessionMigrationActor, now: Date, service: SessionMigrationService,
        on database: any Database
    ) async throws -> SessionMigrationWrite
}
