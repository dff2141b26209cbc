import Foundation
import SQLKit

extension MigrationService {
    /// The migration's writes on PostgreSQL: one call of `passerelle_migrate_session` (in
    /// `Resources/sql`), which locks the client, claims the session and writes everything in one
    /// set-based statement. In the caller's transaction, or as its own when it is the whole migration.
    func writeOnPostgres(hash: String, client: Client, actor: MigrationActor, now: Date,
                         on sql: any SQLDatabase) async throws -> MigrationWrite {
        let row = try await sql.raw("""
            SELECT passerelle_migrate_session(\(bind: hash), \(bind: client.id!), \(bind: actor.type), \(bind: actor.id), \
            \(bind: now), \(bind: settings.migrationTimeoutMilliseconds)::integer)::text AS reply
            """).first()
        let data = Data(try row?.decode(column: "reply", as: String.self).utf8 ?? "".utf8)
        let decoder = JSONDecoder()
        // The common answer first: one decoding per migration.
        if let outcome = try? decoder.decode(MigrationOutcome.self, from: data) { return .migrated(outcome) }
        let refusal = try decoder.decode(CoreRefusal.self, from: data)
        if refusal.refused == "client_not_found" { throw AppError.clientNotFound }
        return .refused(SessionRefusal(status: SessionStatus(rawValue: refusal.refused), clientID: refusal.client_id,
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
