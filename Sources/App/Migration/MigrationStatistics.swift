import Eligibility
import Fluent
import Foundation

/// Conversion figures: completed sessions (including those since migrated) that became clients.
/// Each session counts once; rates are percentages rounded to two decimals.
enum MigrationStatistics {
    static func compute(on database: any Database, days: Int = 30, now: Date) async throws -> StatsDTO {
        let sessions = try await TemporarySession.query(on: database).all(\.$status)
        let total = sessions.count
        let migrated = sessions.filter { $0 == .migrated }.count
        let completed = sessions.filter { $0 == .completed || $0 == .migrated }.count

        let since = now.addingTimeInterval(-Double(days) * 86_400)
        let recent = try await TemporarySession.query(on: database).filter(\.$createdAt >= since).all()
        var dayFigures: [String: (total: Int, completed: Int, migrated: Int)] = [:]
        for session in recent {
            let day = String(session.createdAt.iso8601Seconds.prefix(10))
            var figures = dayFigures[day] ?? (0, 0, 0)
            figures.total += 1
            if session.status == .completed || session.status == .migrated { figures.completed += 1 }
            if session.status == .migrated { figures.migrated += 1 }
            dayFigures[day] = figures
        }

        let migratedIDs = Set(try await TemporarySession.query(on: database).filter(\.$status == .migrated).all(\.$id).compactMap { $0 })
        let results = try await TemporaryEligibility.query(on: database).all()
        var productFigures: [String: (completed: Int, eligible: Int, migrated: Int, scoreSum: Int)] = [:]
        for row in results {
            var figures = productFigures[row.productCode] ?? (0, 0, 0, 0)
            figures.completed += 1
            figures.scoreSum += row.score
            if row.status != EligibilityStatus.notEligible.rawValue {
                figures.eligible += 1
                if migratedIDs.contains(row.$session.id) { figures.migrated += 1 }
            }
            productFigures[row.productCode] = figures
        }

        return StatsDTO(
            totalSessions: total, completedSessions: completed, migratedSessions: migrated,
            conversionRate: rate(migrated, completed),
            byProduct: productFigures.keys.sorted().map { code in
                let figures = productFigures[code]!
                return ProductStatsDTO(productCode: code, completedSessions: figures.completed, eligibleSessions: figures.eligible,
                                       migratedSessions: figures.migrated, conversionRate: rate(figures.migrated, figures.eligible),
                                       averageScore: ((Double(figures.scoreSum) / Double(max(1, figures.completed))) * 100).rounded() / 100)
            },
            byDay: dayFigures.keys.sorted().map { day in
                let figures = dayFigures[day]!
                return DayStatsDTO(date: day, totalSessions: figures.total, completedSessions: figures.completed,
                                   migratedSessions: figures.migrated, conversionRate: rate(figures.migrated, figures.completed))
            })
    }

    static func rate(_ part: Int, _ whole: Int) -> Double {
        whole == 0 ? 0 : (Double(part) * 10_000 / Double(whole)).rounded() / 100
    }
}
