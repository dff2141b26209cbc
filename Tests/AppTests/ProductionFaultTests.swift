import Fluent
import Foundation
import NIOHTTP1
import SQLKit
import Testing
import Vapor

@testable import App

/// What production does to a server, at the level of the application (the fault suite,
/// `scripts/fault-test.py`, does it to real processes).
@Suite("Pannes de production : doubles clics, fichier SQLite partagé, arrêt, corps refusés")
struct ProductionFaultTests {
    @Test(arguments: TestDatabase.all)
    func identicalSignUpsSentTogetherAnswerTheFirstOutcome(_ database: TestDatabase) async throws {
        try await withTestApp(database, settings: { $0.passwordAttemptsPerMinute = nil }) { app in
            let token = try await app.completedSession()
            let body = ["session_token": token, "client_data": signupForm(email: "double@example.fr")] as [String: Any]
            let data = try JSONSerialization.data(withJSONObject: body)
            let json = String(decoding: data, as: UTF8.self)
            let statuses = try await withThrowingTaskGroup(of: (UInt, String?).self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        let response = try await app.send(.POST, "/api/session-migration/migrate", json: json)
                        return (response.status.code, try? response.decode(SessionMigrationResponseDTO.self).clientID.uuidString)
                    }
                }
                return try await group.reduce(into: [(UInt, String?)]()) { $0.append($1) }
            }
            #expect(statuses.map(\.0).sorted() == [200, 200, 200, 200, 200, 201], "\(statuses.map(\.0))")
            #expect(Set(statuses.compactMap(\.1)).count == 1, "every answer names the one account")
            #expect(try await Client.query(on: app.db).filter(\.$email == "double@example.fr").count() == 1)
            #expect(try await Simulation.query(on: app.db).count() == 1)
        }
    }

    @Test func anotherProcessHoldingTheSQLiteWriteLockMeansBusyNotAnError() async throws {
        // A pool timeout long enough that a connection is had in time while the suite's other tests load the machine.
        try await withTestApp(.sqlite, settings: { $0.databasePoolTimeoutMilliseconds = 1000 }) { app in
            guard case .sqlite(let path) = app.settings.database else {
                Issue.record("not SQLite")
                return
            }
            // A second process on the same file: a command, holding the write lock.
            let other = try await Application.make(.testing)
            other.databases.use(.sqlite(.file(path)), as: .sqlite)
            let hold = Task {
                try await other.db.withConnection { connection in
                    let sql = connection as! any SQLDatabase
                    try await sql.raw("BEGIN IMMEDIATE").run()
                    try await Task.sleep(nanoseconds: 10_000_000_000)
                    try await sql.raw("ROLLBACK").run()
                }
            }
            try await Task.sleep(nanoseconds: 300_000_000)
            let started = Date()
            let refused = try await app.send(.POST, "/api/simulator/sessions")
            #expect(refused.status == .serviceUnavailable)
            #expect(refused.errorCode == "DATABASE_BUSY")
            #expect(refused.headers.first(name: "Retry-After") == "1")
            // Bounded by the pool timeout (1 s), not by the other process (10 s), even on a loaded machine
            // (a fresh CI clone once took 4.02 s).
            #expect(Date().timeIntervalSince(started) < 8, "bounded by the pool timeout, not the other process")
            try await hold.value
            #expect(try await TemporarySession.query(on: app.db).count() == 0, "nothing written")
            // Once the other process is done, writes go through.
            #expect(try await app.send(.POST, "/api/simulator/sessions").status == .created)
            try await other.asyncShutdown()
        }
    }

    @Test(arguments: TestDatabase.all)
    func bodiesThatAreNotJSONAreRefused415AndCutBodies400(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let token = try await app.newSession()
            for (type, body) in [
                ("application/x-www-form-urlencoded", "answers=1"),
                ("multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--x--\r\n"),
            ] {
                var headers = HTTPHeaders()
                headers.replaceOrAdd(name: .contentType, value: type)
                let response = try await app.testing().sendRequest(
                    .PUT, "/api/simulator/sessions/\(token)/answers",
                    headers: headers, body: ByteBuffer(string: body))
                #expect(response.status == .unsupportedMediaType, "\(type)")
                #expect(response.body.string.contains("UNSUPPORTED_MEDIA_TYPE"))
            }
            #expect(try await TemporaryResponse.query(on: app.db).count() == 0)
            // A request the server could not read to its end is the client's mistake, not an internal error.
            app.post("api", "essai-corps-coupe") { _ -> String in throw HTTPParserError.invalidEOFState }
            let cut = try await app.send(.POST, "/api/essai-corps-coupe")
            #expect(cut.status == .badRequest)
            #expect(cut.errorCode == "BAD_REQUEST")
        }
    }

    @Test(arguments: TestDatabase.all)
    func aLostDatabaseConnectionIs503Unavailable(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            app.get("api", "essai-connexion-perdue") { _ -> String in throw DatabaseConnectionLost() }
            let response = try await app.send(.GET, "/api/essai-connexion-perdue")
            #expect(response.status == .serviceUnavailable)
            #expect(response.errorCode == "DATABASE_UNAVAILABLE")
            #expect(response.headers.first(name: "Retry-After") == "2")
        }
    }

    @Test func drainingWaitsForRequestsInFlightAndRefusesNewOnes() async throws {
        let requests = RequestsInFlight()
        #expect(requests.enter())
        #expect(requests.enter())
        let drained = Task { await requests.drain(timeout: 5) }
        try await Task.sleep(nanoseconds: 100_000_000)
        #expect(!requests.enter(), "refused once draining has begun")
        requests.leave()
        requests.leave()
        #expect(await drained.value == 0)
        // A request that never ends does not hold the shutdown past the grace period.
        let stuck = RequestsInFlight()
        #expect(stuck.enter())
        let started = Date()
        #expect(await stuck.drain(timeout: 0.3) == 1)
        #expect(Date().timeIntervalSince(started) < 2)
    }

    @Test func aRequestArrivingWhileTheServerStopsIsRefusedBeforeItStarts() async throws {
        try await withTestApp(.sqlite) { app in
            _ = await app.requestsInFlight.drain(timeout: 0)
            let response = try await app.send(.POST, "/api/simulator/sessions")
            #expect(response.status == .serviceUnavailable)
            #expect(response.errorCode == "SHUTTING_DOWN")
            #expect(response.headers.first(name: .connection) == "close")
            #expect(try await TemporarySession.query(on: app.db).count() == 0)
        }
    }
}
