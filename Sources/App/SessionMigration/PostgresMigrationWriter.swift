import Fluent
import Foundation
import SQLKit

/// The migration's writes on PostgreSQL: one call of `passerelle_migrate_session` (in `Resources/sql`),
/// which locks the client, claims the session and writes everything in one set-based statement. In
/// the caller's transaction, or as its own when it is the whole migration.
struct PostgresMigrationWriter: SessionMigrationWriter {
    var writesExistingClientInOneStatement: Bool { true }

    func begin(on sql: any SQLDatabase, timeoutMilliseconds: Int) async throws {
        try await sql.raw("SET LOCAL statement_timeout = \(unsafeRaw: String(timeoutMilliseconds))").run()
    }

    func write(
        hash: String, client: Client, actor: SessionMigrationActor, now: Date, service: SessionMigrationService,
        on database: any Database
    ) async throws -> SessionMigrationWrite {
        let row = try await database.sql.raw(
            """
            SELECT passerelle_migrate_session(\(bind: hash), \(bind: client.id!), \(bind: actor.type), \(bind: actor.id), \
            \(bind: now), \(bind: service.settings.migrationTimeoutMilliseconds)::integer)::text AS reply
            """
        ).first()
        let data = Data(try row?.decode(column: "reply", as: String.self).utf8 ?? "".utf8)
        let decoder = JSONDecoder()
        // The common answer first: one decoding per migration.
        if let outcome = try? decoder.decode(SessionMigrationOutcome.self, from: data) { return .migrated(outcome) }
        let refusal = try decoder.decode(CoreRefusal.self, from: data)
        if refusal.refused == "client_not_found" { throw AppError.clientNotFound }
        return .refused(
            SessionRefusal(
                status: SessionStatus(rawValue: refusal.refused), clientID: refusal.client_id,
                previous: refusal.migration_result?.outcome))
    }
}

/// `passerelle_migrate_session`'s answer when it could not claim the session: the session's status
/// (`not_found` when there is none), its client and its stored outcome.
private struct CoreRefusal: Decodable {
    let refused: String
    let client_id: UUID?
    let migration_result: StoredOutcome?
}
