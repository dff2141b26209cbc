import Fluent
import Foundation
import SQLKit
import Testing
import Vapor

@testable import App

/// Expired sessions that were never migrated are deleted with their answers and results; migrated
/// ones stay; the statistics give the same figures before and after; purges at once count nothing twice.
@Suite struct SessionPurgeTests {
    private let week: TimeInterval = 7 * 86_400

    @Test(arguments: TestDatabase.all)
    func purgeDeletesExpiredUnmigratedSessionsAndKeepsEveryFigure(_ database: TestDatabase) async throws {
        let clock = ManualClock(testStart)
        try await withTestApp(database, clock: clock) { app in
            // 2 March: two completed and one abandoned, never migrated; one migrated; one left in progress.
            let completed = [try await app.completedSession(), try await app.completedSession(changing: ["TICPE_001": false])]
            let abandoned = try await app.newSession()
            #expect(try await app.send(.POST, "/api/simulator/sessions/\(abandoned)/abandon").status == .ok)
            let migrated = try await app.completedSession()
            let (clientID, _) = try await app.signUp(token: migrated, email: "garde@example.fr")
            let inProgress = try await app.newSession()
            // 6 March: a session still alive when the others have expired.
            clock.advance(by: 4 * 86_400)
            let alive = try await app.newSession()
            clock.advance(by: 3 * 86_400 + 1)

            let before = try await SessionMigrationStatistics.compute(on: app.db, backend: app.backend, now: clock.now())
            #expect(before.totalSessions == 6)
            #expect(before.byDay.map(\.totalSessions) == [5, 1])
            // Batches of one: each adds to the tallies the ones before it wrote.
            let deleted = try await SessionPurge.run(expiredBy: clock.now(), lifetime: week, batchSize: 1, backend: app.backend, on: app.db)
            #expect(deleted == 4)
            #expect(try await SessionMigrationStatistics.compute(on: app.db, backend: app.backend, now: clock.now()) == before)

            let sessions = try await TemporarySession.query(on: app.db).all()
            #expect(Set(sessions.map(\.tokenHash)) == Set([migrated, alive].map(SecretToken.hash)))
            let kept = Set(sessions.compactMap(\.id))
            #expect(Set(try await TemporaryResponse.query(on: app.db).all().map(\.$session.id)).isSubset(of: kept))
            #expect(
                Set(try await TemporaryEligibility.query(on: app.db).all().map(\.$session.id)) == [
                    try #require(sessions.first { $0.status == .migrated }?.id)
                ])

            for token in completed + [abandoned, inProgress] {
                #expect(try await app.send(.GET, "/api/simulator/sessions/\(token)").errorCode == "SESSION_NOT_FOUND")
            }
            // The migrated session still answers, and a retried sign-up still gets its first outcome.
            #expect(try await app.send(.GET, "/api/simulator/sessions/\(migrated)").status == .ok)
            let retry = try await app.send(
                .POST, "/api/session-migration/migrate",
                object: ["session_token": migrated, "client_data": signupForm(email: "garde@example.fr")])
            #expect(try retry.decode(SessionMigrationResponseDTO.self).clientID == clientID)
            #expect(try await ClientProduitEligible.query(on: app.db).count() == 4)

            // Nothing left to delete: the tallies are not added again.
            #expect(try await SessionPurge.run(expiredBy: clock.now(), lifetime: week, backend: app.backend, on: app.db) == 0)
            #expect(try await SessionMigrationStatistics.compute(on: app.db, backend: app.backend, now: clock.now()) == before)
        }
    }

    /// Migrated sessions are kept for ever: the purge's search must not read them. With sequential
    /// scans ruled out, both databases choose between the index on `created_at` (every session) and
    /// the one on the sessions not migrated; they must see that the second holds all the purge wants.
    @Test(arguments: TestDatabase.all)
    func thePurgeSearchReadsOnlyTheIndexOfUnmigratedSessions(_ database: TestDatabase) async throws {
        let clock = ManualClock(testStart)
        try await withTestApp(database, clock: clock) { app in
            _ = try await app.signUp(token: try await app.completedSession(), email: "garde@example.fr")
            _ = try await app.completedSession()
            let plan = try await app.db.transaction { database in
                let sql = database as! any SQLDatabase
                let search = SessionPurge.candidates(expiredBy: clock.now(), createdBy: clock.now(), limit: 500, backend: app.backend)
                if sql.dialect.name == "postgresql" {
                    try await sql.raw("SET LOCAL enable_seqscan = off").run()
                    return try await sql.raw("EXPLAIN \(search)").all().map { try $0.decode(column: "QUERY PLAN", as: String.self) }
                }
                return try await sql.raw("EXPLAIN QUERY PLAN \(search)").all().map { try $0.decode(column: "detail", as: String.self) }
            }.joined(separator: "\n")
            #expect(plan.contains(IndexUnmigratedSessions.indexName), "\(plan)")
        }
    }

    @Test(arguments: TestDatabase.all)
    func sessionsStayForTheRetentionAfterTheyExpire(_ database: TestDatabase) async throws {
        let clock = ManualClock(testStart)
        try await withTestApp(database, clock: clock, settings: { $0.sessionRetention = 30 * 86_400 }) { app in
            let token = try await app.completedSession()
            clock.advance(by: week + 30 * 86_400)
            #expect(try await app.send(.GET, "/api/simulator/sessions/\(token)").errorCode == "SESSION_EXPIRED")
            #expect(try await app.purgeExpiredSessions().deleted == 0)
            clock.advance(by: 1)
            #expect(try await app.purgeExpiredSessions().deleted == 1)
            #expect(try await app.send(.GET, "/api/simulator/sessions/\(token)").errorCode == "SESSION_NOT_FOUND")
        }
    }

    @Test(arguments: TestDatabase.all)
    func purgesAtOnceTakeDifferentSessions(_ database: TestDatabase) async throws {
        let clock = ManualClock(testStart)
        try await withTestApp(database, clock: clock) { app in
            for _ in 0..<12 { _ = try await app.completedSession() }
            clock.advance(by: week + 1)
            let before = try await SessionMigrationStatistics.compute(on: app.db, backend: app.backend, now: clock.now())
            let cutoff = clock.now()
            let counts = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<3 {
                    let database = app.databases.database(logger: app.logger, on: app.eventLoopGroup.next())!
                    group.addTask {
                        try await SessionPurge.run(
                            expiredBy: cutoff, lifetime: 7 * 86_400, batchSize: 1, backend: app.backend, on: database)
                    }
                }
                return try await group.reduce(0, +)
            }
            #expect(counts == 12)
            #expect(try await TemporarySession.query(on: app.db).count() == 0)
            #expect(try await SessionMigrationStatistics.compute(on: app.db, backend: app.backend, now: clock.now()) == before)
        }
    }

    @Test(arguments: TestDatabase.all)
    func theCommandPurgesAndRefusesABadRetention(_ database: TestDatabase) async throws {
        let clock = ManualClock(testStart)
        try await withTestApp(database, clock: clock) { app in
            _ = try await app.completedSession()
            clock.advance(by: week + 2 * 86_400)
            #expect(try await app.runCommand(["purge-sessions"]).hasPrefix("0 session(s) supprimée(s)"))
            #expect(try await TemporarySession.query(on: app.db).count() == 1)
            let output = try await app.runCommand(["purge-sessions", "--retention-days", "1"])
            #expect(output == "1 session(s) supprimée(s) : expirées avant le 2026-03-10T10:00:00Z, jamais rattachées.\n")
            // ConsoleKit takes "-1" for an option of its own; its refusal is told in French too.
            let negative = await #expect(throws: CommandError.self) {
                try await app.runCommand(["purge-sessions", "--retention-days", "-1"])
            }
            #expect(
                commandLineMessage(for: negative!.error) == "Option ou valeur non reconnue : --retention-days -1."
                    + " Une valeur qui commence par « - » s'écrit précédée d'une barre oblique inverse : '\\-…'.")
            for bad in ["3651", "trente", "1.5"] {
                let failure = await #expect(throws: CommandError.self) {
                    try await app.runCommand(["purge-sessions", "--retention-days", bad])
                }
                #expect(
                    commandLineMessage(for: failure!.error) == "--retention-days attend un nombre de jours entre 0 et 3650 (reçu : \(bad))."
                )
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func theServerPurgesOnItsOwn(_ database: TestDatabase) async throws {
        let clock = ManualClock(testStart)
        try await withTestApp(
            database, clock: clock,
            settings: {
                $0.sessionPurgeInterval = 0.1
                $0.sessionRetention = 0
            }
        ) { app in
            _ = try await app.completedSession()
            #expect(try await TemporarySession.query(on: app.db).count() == 1)
            clock.advance(by: week + 1)
            // The purge logs once its transaction is committed: wait for both.
            var left = 1
            var logged = false
            for _ in 0..<300 where left > 0 || !logged {
                try await Task.sleep(nanoseconds: 100_000_000)
                left = try await TemporarySession.query(on: app.db).count()
                logged = CapturedLogs.contains("Sessions expirées supprimées : 1")
            }
            #expect(left == 0)
            #expect(logged)
        }
    }
}
