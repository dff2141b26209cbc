import Eligibility
import Fluent
import Foundation
import SQLKit

/// The figures of a period, for the operators' console and `passerelle stats`.
///
/// - The funnel, per product and per day count the sessions *started* in the period (by day of
///   creation), each once, as they stand now: completed (since migrated or not), migrated to a new
///   client (sign-up) or to an existing one. Conversion is migrated ÷ completed. Sessions the purge
///   deleted are counted from its tallies.
/// - The migrations (volume, time from completion to migration, refusals and failures by code)
///   count what *happened* in the period.
enum PeriodStatistics {
    static func compute(
        _ period: ConversionPeriod, catalog: Catalog, on database: any Database, backend: any DatabaseBackend
    ) async throws -> PeriodStatsDTO {
        let sql = database.sql
        let (start, end) = period.bounds
        let migrated = SessionStatus.migrated.rawValue
        let eligible = EligibilityStatus.eligible.rawValue
        let potentially = EligibilityStatus.potentiallyEligible.rawValue

        let live = try await sql.raw(
            """
            SELECT \(backend.day(of: "created_at")) AS "day", count(*) AS "started",
                   coalesce(sum(CASE WHEN "status" IN (\(binds: SessionStatus.completedStatuses)) THEN 1 ELSE 0 END), 0) AS "completed",
                   coalesce(sum(CASE WHEN "status" = \(bind: migrated) THEN 1 ELSE 0 END), 0) AS "migrated",
                   coalesce(sum(CASE WHEN "status" = \(bind: migrated) AND EXISTS (
                       SELECT 1 FROM \(ident: AuditEvent.schema) a
                        WHERE a."session_id" = \(ident: TemporarySession.schema)."id"
                          AND a."event_type" = \(bind: AuditEvent.sessionMigrated)
                          AND a."actor_type" = \(bind: SessionMigrationActor.signup.type)) THEN 1 ELSE 0 END), 0) AS "new_clients"
              FROM \(ident: TemporarySession.schema)
             WHERE "created_at" >= \(bind: start) AND "created_at" < \(bind: end)
             GROUP BY 1
            """
        ).all(decoding: DayRow.self)
        let purged = try await sql.raw(
            """
            SELECT "day", CAST("total_sessions" AS bigint) AS "started", CAST("completed_sessions" AS bigint) AS "completed",
                   0 AS "migrated", 0 AS "new_clients"
              FROM \(ident: SessionPurge.dayTally)
             WHERE "day" >= \(bind: period.from) AND "day" <= \(bind: period.to)
            """
        ).all(decoding: DayRow.self)
        var days = Dictionary(uniqueKeysWithValues: period.days.map { ($0, DayRow(day: $0)) })
        for row in live + purged { days[row.day] = days[row.day, default: DayRow(day: row.day)] + row }
        let total = days.values.reduce(DayRow(day: ""), +)

        let products =
            try await sql.raw(
                """
                SELECT te."produit_id" AS "code",
                       sum(CASE WHEN te."status" = \(bind: eligible) THEN 1 ELSE 0 END) AS "eligible",
                       sum(CASE WHEN te."status" = \(bind: potentially) THEN 1 ELSE 0 END) AS "potentially",
                       sum(CASE WHEN te."plan_statut" IS NOT NULL AND ts."status" = \(bind: migrated) THEN 1 ELSE 0 END) AS "client_products"
                  FROM \(ident: TemporaryEligibility.schema) te
                  JOIN \(ident: TemporarySession.schema) ts ON ts."id" = te."session_id"
                 WHERE ts."created_at" >= \(bind: start) AND ts."created_at" < \(bind: end)
                 GROUP BY te."produit_id"
                """
            ).all(decoding: ProductRow.self)
            + sql.raw(
                """
                SELECT "produit_id" AS "code", CAST(sum("eligible_sessions") AS bigint) AS "eligible",
                       CAST(sum("potentially_eligible_sessions") AS bigint) AS "potentially", 0 AS "client_products"
                  FROM \(ident: SessionPurge.productDayTally)
                 WHERE "day" >= \(bind: period.from) AND "day" <= \(bind: period.to)
                 GROUP BY "produit_id"
                """
            ).all(decoding: ProductRow.self)
        var byProduct = Dictionary(uniqueKeysWithValues: catalog.products.map { ($0.code, ProductRow(code: $0.code)) })
        for row in products { byProduct[row.code] = byProduct[row.code, default: ProductRow(code: row.code)] + row }

        // Migrations that happened in the period: their times, then what they attached.
        let times = try await sql.raw(
            """
            SELECT "completed_at", "migrated_at" FROM \(ident: TemporarySession.schema)
             WHERE "migrated_at" >= \(bind: start) AND "migrated_at" < \(bind: end)
            """
        ).all(decoding: MigrationTime.self)
        let seconds = times.compactMap { time in time.completed_at.map { max(0, time.migrated_at.timeIntervalSince($0)) } }.sorted()
        let volume = try await sql.raw(
            """
            SELECT count(*) AS "products", CAST(coalesce(sum(te."plan_montant"), 0) AS double precision) AS "savings"
              FROM \(ident: TemporaryEligibility.schema) te
              JOIN \(ident: TemporarySession.schema) ts ON ts."id" = te."session_id"
             WHERE te."plan_statut" IS NOT NULL AND ts."migrated_at" >= \(bind: start) AND ts."migrated_at" < \(bind: end)
            """
        ).first(decoding: VolumeRow.self)!
        let refusals = try await sql.raw(
            """
            SELECT "outcome", "error_code" AS "code", count(*) AS "count" FROM \(ident: SessionMigrationRefusal.schema)
             WHERE "created_at" >= \(bind: start) AND "created_at" < \(bind: end)
             GROUP BY "outcome", "error_code"
            """
        ).all(decoding: RefusalRow.self)
        let refused = refusals.filter { $0.outcome == "refused" }.map(\.count).reduce(0, +)
        let failed = refusals.filter { $0.outcome == "failed" }.map(\.count).reduce(0, +)
        let attempts = times.count + refused + failed

        return PeriodStatsDTO(
            from: period.from, to: period.to,
            startedSessions: total.started, completedSessions: total.completed, migratedSessions: total.migrated,
            migratedNewClients: total.new_clients, migratedExistingClients: total.migrated - total.new_clients,
            conversionRate: SessionMigrationStatistics.rate(total.migrated, total.completed),
            byProduct: byProduct.values.sorted { $0.code < $1.code }.map {
                PeriodProductDTO(
                    productCode: $0.code, eligibleSessions: $0.eligible, potentiallyEligibleSessions: $0.potentially,
                    clientProducts: $0.client_products)
            },
            byDay: days.values.sorted { $0.day < $1.day }.map {
                PeriodDayDTO(date: $0.day, startedSessions: $0.started, completedSessions: $0.completed, migratedSessions: $0.migrated)
            },
            migrations: PeriodMigrationsDTO(
                migrations: times.count, products: volume.products, estimatedSavings: (volume.savings * 100).rounded() / 100,
                medianSecondsToMigration: nearestRank(0.5, of: seconds), p95SecondsToMigration: nearestRank(0.95, of: seconds),
                refused: refused, failed: failed,
                errorRate: SessionMigrationStatistics.rate(failed, attempts),
                refusalRate: SessionMigrationStatistics.rate(refused, attempts),
                byCode: refusals.sorted { ($0.outcome, $0.code) < ($1.outcome, $1.code) }.map {
                    PeriodRefusalDTO(outcome: $0.outcome, errorCode: $0.code, count: $0.count)
                }))
    }

    /// The value at rank ⌈q·n⌉ of `sorted` (nearest-rank percentile), in whole seconds; nil when empty.
    static func nearestRank(_ quantile: Double, of sorted: [Double]) -> Int? {
        guard !sorted.isEmpty else { return nil }
        let rank = max(1, Int((quantile * Double(sorted.count)).rounded(.up)))
        return Int(sorted[rank - 1].rounded())
    }

    private struct DayRow: Decodable {
        var day: String
        var started = 0
        var completed = 0
        var migrated = 0
        var new_clients = 0

        init(day: String) { self.day = day }

        static func + (left: Self, right: Self) -> Self {
            var sum = left
            sum.started += right.started
            sum.completed += right.completed
            sum.migrated += right.migrated
            sum.new_clients += right.new_clients
            return sum
        }
    }

    private struct ProductRow: Decodable {
        var code: String
        var eligible = 0
        var potentially = 0
        var client_products = 0

        init(code: String) { self.code = code }

        static func + (left: Self, right: Self) -> Self {
            var sum = left
            sum.eligible += right.eligible
            sum.potentially += right.potentially
            sum.client_products += right.client_products
            return sum
        }
    }

    private struct MigrationTime: Decodable {
        let completed_at: Date?
        let migrated_at: Date
    }

    private struct VolumeRow: Decodable {
        let products: Int
        let savings: Double
    }

    private struct RefusalRow: Decodable {
        let outcome: String
        let code: String
        let count: Int
    }
}
