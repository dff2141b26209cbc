import Fluent
import Foundation
import Logging
import NIOConcurrencyHelpers
import Testing
import Vapor

@testable import App

/// `/metrics`, `/health`, `/ready`, request ids and JSON logs. The Prometheus registry is the
/// process's, shared by the tests running at once: counts are read before and after, and only grow.
@Suite("Surveillance")
struct MonitoringTests {
    static let token = "jeton-de-collecte-des-metriques-2026"

    static func scrape(_ app: Application) async throws -> String {
        let response = try await app.send(.GET, "/metrics", headers: ["Authorization": "Bearer \(token)"])
        #expect(response.status == .ok)
        #expect(response.headers.first(name: .contentType)?.hasPrefix("text/plain; version=0.0.4") == true)
        return response.body
    }

    /// The value of the sample `name{labels}` (labels in any order), 0 when absent.
    static func sample(_ text: String, _ name: String, _ labels: [String: String] = [:]) -> Double {
        for line in text.split(separator: "\n") where line.hasPrefix(name + "{") || line.hasPrefix(name + " ") {
            let parts = line.split(separator: " ")
            guard let value = parts.last.flatMap({ Double($0) }) else { continue }
            let found = labels.allSatisfy { line.contains("\($0.key)=\"\($0.value)\"") }
            if found && (labels.isEmpty || line.hasPrefix(name + "{")) { return value }
        }
        return 0
    }

    @Test
    func theMetricsRouteIsClosedWithoutItsToken() async throws {
        try await withTestApp(.sqlite) { app in
            let closed = try await app.send(.GET, "/metrics")
            #expect(closed.status == .notFound)
        }
        try await withTestApp(.sqlite, settings: { $0.metricsToken = Self.token }) { app in
            let without = try await app.send(.GET, "/metrics")
            #expect(without.status == .unauthorized)
            #expect(without.errorCode == "METRICS_TOKEN_REQUIRED")
            #expect(try await app.send(.GET, "/metrics", headers: ["Authorization": "Bearer \(Self.token)x"]).status == .unauthorized)
            let text = try await Self.scrape(app)
            #expect(
                Self.sample(text, "passerelle_build_info", ["version": BuildInfo.version, "ruleset": app.catalog.ruleset.identifier]) == 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func migrationsAreCountedByPathOutcomeAndCodeAndRoutesByPattern(_ database: TestDatabase) async throws {
        try await withTestApp(database, settings: { $0.metricsToken = Self.token }) { app in
            let before = try await Self.scrape(app)
            let migrated = ["path": "signup", "outcome": "migrated"]
            let refused = ["path": "signup", "code": "SESSION_NOT_FOUND"]

            // A sign-up that migrates, and one refused for an unknown session
            let token = try await app.completedSession()
            _ = try await app.signUp(token: token)
            let unknown = try await app.send(
                .POST, "/api/session-migration/migrate",
                object: ["session_token": String(repeating: "a", count: 43), "client_data": signupForm(email: "autre@example.fr")])
            #expect(unknown.status == .notFound)
            _ = try await app.send(.GET, "/api/simulator/sessions/\(token)")

            let after = try await Self.scrape(app)
            #expect(
                Self.sample(after, "passerelle_session_migrations_total", migrated) >= Self.sample(
                    before, "passerelle_session_migrations_total", migrated) + 1)
            #expect(
                Self.sample(after, "passerelle_session_migration_refusals_total", refused) >= Self.sample(
                    before, "passerelle_session_migration_refusals_total", refused) + 1)
            #expect(Self.sample(after, "passerelle_session_migration_duration_seconds_count", ["path": "signup"]) >= 2)
            #expect(
                Self.sample(after, "passerelle_sessions_completed_total") >= Self.sample(before, "passerelle_sessions_completed_total") + 1)
            // HTTP requests by route pattern: the token is never a label.
            #expect(Self.sample(after, "http_requests_total", ["path": "/api/simulator/sessions/:token", "status": "200"]) >= 1)
            #expect(!after.contains(token))
            #expect(!after.contains("example.fr"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func aWriteThatWaitsForAConnectionIsCountedInThePoolWaits(_ database: TestDatabase) async throws {
        try await withTestApp(database, settings: { $0.metricsToken = Self.token }) { app in
            let token = try await app.newSession()
            func slowWaits(_ text: String) -> Double {
                Self.sample(text, "passerelle_database_pool_wait_seconds_count")
                    - Self.sample(text, "passerelle_database_pool_wait_seconds_bucket", ["le": "0.25"])
            }
            let before = slowWaits(try await Self.scrape(app))
            // Given every connection taken, when an answer is saved, it waits until they are released
            let held = try await app.holdEveryDatabaseConnection()
            let write = Task {
                try await app.send(.PUT, "/api/simulator/sessions/\(token)/answers", object: ["answers": ["GENERAL_001": "btp"]])
            }
            try await Task.sleep(nanoseconds: 600_000_000)
            try await held.release()
            #expect(try await write.value.status == .ok)
            // Then the wait is counted above a quarter of a second
            #expect(slowWaits(try await Self.scrape(app)) >= before + 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func healthSaysTheProcessAnswersAndReadyThatTheDatabaseHoldsThisSchema(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            #expect(try await app.send(.GET, "/health").decode(HealthDTO.self).status == "ok")
            let ready = try await app.send(.GET, "/ready")
            #expect(ready.status == .ok)
            #expect(try ready.decode(ReadyDTO.self).schema == "current")

            // A schema change missing (a database behind this build): not ready, still alive.
            try await MigrationLog.query(on: app.db).filter(
                \.$name == SchemaChanges.all(catalog: app.catalog, backend: app.backend).last!.name
            ).delete()
            let behind = try await app.send(.GET, "/ready")
            #expect(behind.status == .serviceUnavailable)
            #expect(behind.errorCode == "SCHEMA_MISMATCH")
            #expect(try await app.send(.GET, "/health").status == .ok)
        }
    }

    @Test
    func everyResponseCarriesARequestIdAndAProxysOneIsKeptWhenSafe() async throws {
        try await withTestApp(.sqlite) { app in
            let fresh = try #require(try await app.send(.GET, "/health").headers.first(name: "X-Request-Id"))
            #expect(UUID(uuidString: fresh) != nil)
            let given = try await app.send(.GET, "/health", headers: ["X-Request-Id": "lb-7f3a.42_x"])
            #expect(given.headers.first(name: "X-Request-Id") == "lb-7f3a.42_x")
            let unsafe = try await app.send(.GET, "/health", headers: ["X-Request-Id": "a b<script>"])
            #expect(unsafe.headers.first(name: "X-Request-Id").flatMap(UUID.init(uuidString:)) != nil)
        }
    }

    @Test
    func jsonLogsAreOneObjectPerLineWithTheMetadata() throws {
        let lines = NIOLockedValueBox<[Data]>([])
        var logger = Logger(label: "passerelle") {
            JSONLogHandler(label: $0, level: .info) { data in lines.withLockedValue { $0.append(data) } }
        }
        logger[metadataKey: "request_id"] = "abc"
        logger.debug("ignorée")
        logger.info("GET /health → 200 en 0.1 ms", metadata: ["status": "200"])
        let written = lines.withLockedValue { $0 }
        #expect(written.count == 1)
        let line = try #require(written.first)
        #expect(line.last == 0x0A && !line.dropLast().contains(0x0A))
        let object = try #require(try JSONSerialization.jsonObject(with: line) as? [String: String])
        #expect(object["message"] == "GET /health → 200 en 0.1 ms")
        #expect(object["request_id"] == "abc" && object["status"] == "200" && object["level"] == "info" && object["logger"] == "passerelle")
        #expect(object["time"].flatMap { try? Date($0, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) } != nil)
    }

    @Test
    func aShortMetricsTokenIsRefusedWithoutBeingRepeated() throws {
        #expect(throws: SettingsError.self) { try AppSettings.fromEnvironment(["METRICS_TOKEN": "court-secret"]) }
        do {
            _ = try AppSettings.fromEnvironment(["METRICS_TOKEN": "court-secret"])
        } catch {
            #expect(!error.description.contains("court-secret"))
        }
        #expect(try AppSettings.fromEnvironment(["METRICS_TOKEN": Self.token]).metricsToken == Self.token)
    }
}
