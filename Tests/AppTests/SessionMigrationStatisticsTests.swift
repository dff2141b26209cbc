import Foundation
import Testing
import Vapor

@testable import App

/// `GET /api/session-migration/stats` and `passerelle stats`, counted by the database: sessions in
/// every state, over several days (one of them older than the 30 days the per-day figures cover),
/// with products whose statuses differ from one session to the next.
@Suite struct SessionMigrationStatisticsTests {
    /// One completed session's results, as the simulator answered them.
    private struct Completed {
        let token: String
        let results: [(code: String, status: String, score: Int)]
    }

    @Test(arguments: TestDatabase.all)
    func figuresOverallPerProductAndPerDay(_ database: TestDatabase) async throws {
        let clock = ManualClock(testStart)
        try await withTestApp(database, clock: clock) { app in
            func complete(_ changes: [String: Any] = [:]) async throws -> Completed {
                let token = try await app.newSession()
                let put = try await app.send(
                    .PUT, "/api/simulator/sessions/\(token)/answers",
                    object: ["answers": haulierAnswers.merging(changes) { $1 }])
                #expect(put.status == .ok)
                let done = try await app.send(.POST, "/api/simulator/sessions/\(token)/complete")
                #expect(done.status == .ok)
                let results = try done.decode(ResultsDTO.self).results.map { ($0.productCode, $0.status, $0.score) }
                return Completed(token: token, results: results)
            }

            // Given sessions over several days. 2 March, 10:00 UTC: completed, never migrated; 31 days later it is outside the per-day figures.
            let old = try await complete()
            clock.advance(by: 31 * 86_400)
            // 2 April, 10:00: one migrated, one left in progress.
            let april2 = try await complete()
            _ = try await app.signUp(token: april2.token, email: "avril@example.fr")
            _ = try await app.newSession()
            // 3 April, 00:00 UTC, a new day: one migrated without TICPE, one completed only.
            clock.advance(by: 14 * 3_600)
            let withoutTICPE = try await complete(["TICPE_001": false])
            let ticpeStatus = try #require(withoutTICPE.results.first { $0.code == "TICPE" }?.status)
            try #require(ticpeStatus == "non_eligible", "the fixture needs a session where TICPE is not eligible")
            _ = try await app.signUp(token: withoutTICPE.token, email: "sans-ticpe@example.fr")
            let april3 = try await complete()

            _ = try await app.runCommand(["create-operator", "--email", "ops@passerelle.fr", "--password", "operateur-secret-1"])
            let access = try await app.login("ops@passerelle.fr", "operateur-secret-1")
            // When an operator asks for the figures
            let response = try await app.get("/api/session-migration/stats", bearer: access)

            // Then each session counts once, overall and on its UTC day, within the last 30 days
            #expect(response.status == .ok)
            let stats = try response.decode(StatsDTO.self)
            #expect(stats.totalSessions == 5)
            #expect(stats.completedSessions == 4)
            #expect(stats.migratedSessions == 2)
            #expect(stats.conversionRate == 50.0)
            #expect(stats.byDay.map(\.date) == ["2026-04-02", "2026-04-03"])
            #expect(stats.byDay.map(\.totalSessions) == [2, 2])
            #expect(stats.byDay.map(\.completedSessions) == [1, 2])
            #expect(stats.byDay.map(\.migratedSessions) == [1, 1])
            #expect(stats.byDay.map(\.conversionRate) == [100.0, 50.0])

            // Per product, from what the simulator answered for each session.
            let sessions = [(old, false), (april2, true), (withoutTICPE, true), (april3, false)]
            let codes = Set(sessions.flatMap { $0.0.results.map(\.code) }).sorted()
            let products = stats.byProduct
            #expect(products.map(\.productCode) == codes)
            for code in codes {
                let rows = sessions.compactMap { session, migrated in
                    session.results.first { $0.code == code }.map { (result: $0, migrated: migrated) }
                }
                let eligible = rows.filter { $0.result.status != "non_eligible" }
                let migrated = eligible.filter(\.migrated).count
                let average = (Double(rows.map(\.result.score).reduce(0, +)) / Double(rows.count) * 100).rounded() / 100
                let figures = try #require(products.first { $0.productCode == code })
                #expect(figures.completedSessions == rows.count, "\(code)")
                #expect(figures.eligibleSessions == eligible.count, "\(code)")
                #expect(figures.migratedSessions == migrated, "\(code)")
                #expect(figures.averageScore == average, "\(code)")
                #expect(figures.conversionRate == SessionMigrationStatistics.rate(migrated, eligible.count), "\(code)")
            }
            // TICPE: eligible in three sessions, one of them migrated; its average mixes in the session without it.
            let ticpe = try #require(products.first { $0.productCode == "TICPE" })
            #expect(ticpe.eligibleSessions == 3)
            #expect(ticpe.migratedSessions == 1)
            #expect(ticpe.conversionRate == 33.33)
            #expect(ticpe.averageScore < 100)

            // The command line prints the same figures.
            let text = try await app.runCommand(["stats"])
            #expect(text.contains("Sessions : 5, terminées : 4, migrées : 2, conversion : 50.0 %"))
            let json = try await app.runCommand(["stats", "--json"])
            #expect(try JSONDecoder.api.decode(StatsDTO.self, from: Data(json.utf8)) == stats)
        }
    }

    @Test(arguments: TestDatabase.all)
    func thePerDayFiguresCoverThirtyWholeUTCDays(_ database: TestDatabase) async throws {
        let clock = ManualClock(testStart)
        try await withTestApp(database, clock: clock) { app in
            _ = try await app.newSession()
            // 31 March, 23:59:59 UTC: 2 March is the first of the 30 days.
            clock.advance(by: 29 * 86_400 + 14 * 3_600 - 1)
            let lastDay = try await SessionMigrationStatistics.compute(on: app.db, backend: app.backend, now: clock.now())
            #expect(lastDay.byDay.map(\.date) == ["2026-03-02"])
            // 1 April, 00:00: the 30 days start on 3 March, though the session is less than 30 × 24 h old.
            clock.advance(by: 1)
            let nextDay = try await SessionMigrationStatistics.compute(on: app.db, backend: app.backend, now: clock.now())
            #expect(nextDay.byDay.isEmpty)
            #expect(nextDay.totalSessions == 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func anEmptyDatabaseHasNoFigures(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let stats = try await SessionMigrationStatistics.compute(on: app.db, backend: app.backend, now: testStart)
            #expect(
                stats
                    == StatsDTO(
                        totalSessions: 0, completedSessions: 0, migratedSessions: 0, conversionRate: 0,
                        byProduct: [], byDay: []))
        }
    }
}
