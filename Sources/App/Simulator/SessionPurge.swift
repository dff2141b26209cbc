import Eligibility
import Fluent
import Foundation
import SQLKit
import Vapor

/// Deletes the simulator sessions that expired more than the retention ago and were never migrated,
/// with their answers and results: no one can continue or migrate them any more. What the conversion
/// statistics count of them is added first to `PurgedSessionDay` (per day of creation) and
/// `PurgedSessionProduct`, so the figures do not change. Migrated sessions stay: the client's
/// simulation refers to them, and a retried migration reads its first outcome from them.
///
/// In batches, each its own transaction, so locks stay short and a failure leaves whole batches. On
/// PostgreSQL, purges running at once (several server processes) take different sessions
/// (`FOR UPDATE SKIP LOCKED`), so none is counted twice, and add to the tallies in key order, so
/// they never wait for each other in a circle.
enum SessionPurge {
    static let dayTally = "PurgedSessionDay"
    static let productTally = "PurgedSessionProduct"
    static let productDayTally = "PurgedSessionProductDay"

    /// The number of sessions deleted: those expired before `cutoff` and never migrated.
    /// `lifetime` (a session's, from its last activity) lets the search use an index on `created_at`:
    /// a session that expired before `cutoff` was created before `cutoff - lifetime`.
    static func run(
        expiredBy cutoff: Date, lifetime: TimeInterval, batchSize: Int = 500,
        backend: any DatabaseBackend, on database: any Database
    ) async throws -> Int {
        var total = 0
        while true {
            // Between batches, a shutdown stops the purge: what is done is whole.
            try Task.checkCancellation()
            let deleted = try await backend.transaction(on: database) { database in
                try await purgeBatch(
                    expiredBy: cutoff, createdBy: cutoff.addingTimeInterval(-lifetime), limit: batchSize,
                    backend: backend, on: database.sql)
            }
            total += deleted
            PasserelleMetrics.sessionsPurged(deleted)
            if deleted < batchSize { return total }
        }
    }

    /// The search for a batch, through `IndexUnmigratedSessions`' index. The status is a literal, not a
    /// parameter: a plan made for any value of it (PostgreSQL's generic plan) could not use that index.
    static func candidates(expiredBy cutoff: Date, createdBy: Date, limit: Int, backend: any DatabaseBackend) -> SQLQueryString {
        """
        SELECT "id" FROM \(ident: TemporarySession.schema)
         WHERE "created_at" <= \(bind: createdBy) AND "expires_at" < \(bind: cutoff)
           AND "status" <> \(literal: SessionStatus.migrated.rawValue)
         ORDER BY "created_at" LIMIT \(literal: limit) \(backend.skipLockedRows)
        """
    }

    private static func purgeBatch(
        expiredBy cutoff: Date, createdBy: Date, limit: Int, backend: any DatabaseBackend,
        on sql: any SQLDatabase
    ) async throws -> Int {
        let ids = try await sql.raw(candidates(expiredBy: cutoff, createdBy: createdBy, limit: limit, backend: backend))
            .all(decoding: Candidate.self).map(\.id)
        guard !ids.isEmpty else { return 0 }

        try await sql.raw(
            """
            INSERT INTO \(ident: dayTally) ("day", "total_sessions", "completed_sessions")
            SELECT \(backend.day(of: "created_at")), count(*),
                   sum(CASE WHEN "status" IN (\(binds: SessionStatus.completedStatuses)) THEN 1 ELSE 0 END)
              FROM \(ident: TemporarySession.schema) WHERE "id" IN (\(binds: ids)) GROUP BY 1 ORDER BY 1
            ON CONFLICT ("day") DO UPDATE
               SET "total_sessions" = \(ident: dayTally)."total_sessions" + excluded."total_sessions",
                   "completed_sessions" = \(ident: dayTally)."completed_sessions" + excluded."completed_sessions"
            """
        ).run()
        try await sql.raw(
            """
            INSERT INTO \(ident: productTally) ("produit_id", "completed_sessions", "eligible_sessions", "score_sum")
            SELECT "produit_id", count(*), sum(CASE WHEN "status" <> \(bind: EligibilityStatus.notEligible.rawValue) THEN 1 ELSE 0 END),
                   sum("eligibility_score")
              FROM \(ident: TemporaryEligibility.schema) WHERE "session_id" IN (\(binds: ids))
             GROUP BY "produit_id" ORDER BY "produit_id"
            ON CONFLICT ("produit_id") DO UPDATE
               SET "completed_sessions" = \(ident: productTally)."completed_sessions" + excluded."completed_sessions",
                   "eligible_sessions" = \(ident: productTally)."eligible_sessions" + excluded."eligible_sessions",
                   "score_sum" = \(ident: productTally)."score_sum" + excluded."score_sum"
            """
        ).run()
        try await sql.raw(
            """
            INSERT INTO \(ident: productDayTally) ("day", "produit_id", "eligible_sessions", "potentially_eligible_sessions")
            SELECT d."day", te."produit_id",
                   sum(CASE WHEN te."status" = \(bind: EligibilityStatus.eligible.rawValue) THEN 1 ELSE 0 END),
                   sum(CASE WHEN te."status" = \(bind: EligibilityStatus.potentiallyEligible.rawValue) THEN 1 ELSE 0 END)
              FROM \(ident: TemporaryEligibility.schema) te
              JOIN (SELECT "id", \(backend.day(of: "created_at")) AS "day" FROM \(ident: TemporarySession.schema)
                     WHERE "id" IN (\(binds: ids))) d ON d."id" = te."session_id"
             GROUP BY 1, 2 ORDER BY 1, 2
            ON CONFLICT ("day", "produit_id") DO UPDATE
               SET "eligible_sessions" = \(ident: productDayTally)."eligible_sessions" + excluded."eligible_sessions",
                   "potentially_eligible_sessions" =
                       \(ident: productDayTally)."potentially_eligible_sessions" + excluded."potentially_eligible_sessions"
            """
        ).run()
        for table in [TemporaryResponse.schema, TemporaryEligibility.schema] {
            try await sql.raw("DELETE FROM \(ident: table) WHERE \"session_id\" IN (\(binds: ids))").run()
        }
        try await sql.raw("DELETE FROM \(ident: TemporarySession.schema) WHERE \"id\" IN (\(binds: ids))").run()
        return ids.count
    }

    private struct Candidate: Decodable {
        let id: UUID
    }
}

extension Application {
    /// Deletes the sessions that expired more than `SESSION_RETENTION_DAYS` ago and were never migrated.
    func purgeExpiredSessions(retention: TimeInterval? = nil) async throws -> (deleted: Int, expiredBy: Date) {
        let cutoff = clock.now().addingTimeInterval(-(retention ?? settings.sessionRetention))
        let deleted = try await SessionPurge.run(expiredBy: cutoff, lifetime: settings.sessionLifetime, backend: backend, on: db)
        return (deleted, cutoff)
    }
}
