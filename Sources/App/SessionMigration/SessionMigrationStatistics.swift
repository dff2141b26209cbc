import Eligibility
import Fluent
import Foundation
import SQLKit

/// Conversion figures: completed sessions (including those since migrated) that became clients.
/// Each session counts once; rates are percentages rounded to two decimals.
///
/// Counted by the database (grouped queries, the same SQL on SQLite and PostgreSQL but for the day
/// of a timestamp), so the work and the memory do not grow with the number of sessions on the
/// application's side, and no document (answers, results) is read. The sessions `SessionPurge`
/// deleted are counted from its tallies, per day of creation and per product, added in Swift to
/// the live counts: a purge changes no figure. The per-day figures cover whole UTC days, today and
/// the `days - 1` before it.
enum SessionMigrationStatistics {
    static func compute(on database: any Database, backend: any DatabaseBackend, days: Int = 30, now: Date) async throws -> StatsDTO {
        let sql = database.sql
        let migrated = SessionStatus.migrated.rawValue
        let notEligible = EligibilityStatus.notEligible.rawValue

        // The same three counts overall and per day (zeros when there is no session at all).
        let sessionCounts: SQLQueryString = """
            count(*) AS "total",
            coalesce(sum(CASE WHEN "status" IN (\(binds: SessionStatus.completedStatuses)) THEN 1 ELSE 0 END), 0) AS "completed",
            coalesce(sum(CASE WHEN "status" = \(bind: migrated) THEN 1 ELSE 0 END), 0) AS "migrated"
            """
        // The purged sessions, never migrated: a total and a completed count, per day of creation.
        let purgedCounts: SQLQueryString = """
            CAST(coalesce(sum("total_sessions"), 0) AS bigint) AS "total",
            CAST(coalesce(sum("completed_sessions"), 0) AS bigint) AS "completed", 0 AS "migrated"
            """
        // An aggregate without GROUP BY always gives one row.
        let overall =
            try await sql.raw("SELECT \(sessionCounts) FROM \(ident: TemporarySession.schema)")
            .first(decoding: SessionCounts.self)!
            + sql.raw("SELECT \(purgedCounts) FROM \(ident: SessionPurge.dayTally)").first(decoding: SessionCounts.self)!

        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        let since = utc.startOfDay(for: now).addingTimeInterval(-Double(days - 1) * 86_400)
        let live = try await sql.raw(
            """
            SELECT \(backend.day(of: "created_at")) AS "day", \(sessionCounts)
              FROM \(ident: TemporarySession.schema)
             WHERE "created_at" >= \(bind: since)
             GROUP BY 1
            """
        ).all(decoding: SessionCounts.self)
        let purged = try await sql.raw(
            """
            SELECT "day", \(purgedCounts) FROM \(ident: SessionPurge.dayTally)
             WHERE "day" >= \(bind: since.iso8601Day) GROUP BY "day"
            """
        ).all(decoding: SessionCounts.self)
        let perDay = Dictionary(grouping: live + purged) { $0.day ?? "" }.map { day, rows in rows.dropFirst().reduce(rows[0], +) }

        // One results row per session and product: "completed" counts the sessions that have it.
        let perProduct =
            try await sql.raw(
                """
                SELECT te."produit_id" AS "code", count(*) AS "completed",
                       CAST(sum(te."eligibility_score") AS bigint) AS "score_sum",
                       sum(CASE WHEN te."status" <> \(bind: notEligible) THEN 1 ELSE 0 END) AS "eligible",
                       sum(CASE WHEN te."status" <> \(bind: notEligible) AND ts."status" = \(bind: migrated) THEN 1 ELSE 0 END) AS "migrated"
                  FROM \(ident: TemporaryEligibility.schema) te
                  JOIN \(ident: TemporarySession.schema) ts ON ts."id" = te."session_id"
                 GROUP BY te."produit_id"
                """
            ).all(decoding: ProductCounts.self)
            + sql.raw(
                """
                SELECT "produit_id" AS "code", "completed_sessions" AS "completed", "score_sum",
                       "eligible_sessions" AS "eligible", 0 AS "migrated"
                  FROM \(ident: SessionPurge.productTally)
                """
            ).all(decoding: ProductCounts.self)
        let perProductMerged = Dictionary(grouping: perProduct, by: \.code).map { _, rows in rows.dropFirst().reduce(rows[0], +) }

        return StatsDTO(
            totalSessions: overall.total, completedSessions: overall.completed, migratedSessions: overall.migrated,
            conversionRate: rate(overall.migrated, overall.completed),
            byProduct: perProductMerged.sorted { $0.code < $1.code }.map { figures in
                ProductStatsDTO(
                    productCode: figures.code, completedSessions: figures.completed, eligibleSessions: figures.eligible,
                    migratedSessions: figures.migrated, conversionRate: rate(figures.migrated, figures.eligible),
                    averageScore: ((Double(figures.score_sum) / Double(max(1, figures.completed))) * 100).rounded() / 100)
            },
            byDay: perDay.sorted { ($0.day ?? "") < ($1.day ?? "") }.map { figures in
                DayStatsDTO(
                    date: figures.day ?? "", totalSessions: figures.total, completedSessions: figures.completed,
                    migratedSessions: figures.migrated, conversionRate: rate(figures.migrated, figures.completed))
            })
    }

    /// The overall figures and those of `period`, every product of `catalog` listed: what the API,
    /// `passerelle stats` and the operators' console show.
    static func compute(
        period: ConversionPeriod, catalog: Catalog, on database: any Database, backend: any DatabaseBackend, now: Date
    ) async throws -> StatsDTO {
        var figures = try await compute(on: database, backend: backend, now: now)
        figures.period = try await PeriodStatistics.compute(
            period, catalog: catalog, on: database, backend: backend)
        return figures
    }

    static func rate(_ part: Int, _ whole: Int) -> Double {
        whole == 0 ? 0 : (Double(part) * 10_000 / Double(whole)).rounded() / 100
    }

    private struct SessionCounts: Decodable {
        let day: String?
        let total: Int
        let completed: Int
        let migrated: Int

        static func + (left: Self, right: Self) -> Self {
            Self(
                day: left.day, total: left.total + right.total, completed: left.completed + right.completed,
                migrated: left.migrated + right.migrated)
        }
    }

    private struct ProductCounts: Decodable {
        let code: String
        let completed: Int
        let score_sum: Int
        let eligible: Int
        let migrated: Int

        static func + (left: Self, right: Self) -> Self {
            Self(
                code: left.code, completed: left.completed + right.completed, score_sum: left.score_sum + right.score_sum,
                eligible: left.eligible + right.eligible, migrated: left.migrated + right.migrated)
        }
    }
}
