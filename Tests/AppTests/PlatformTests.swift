import Fluent
import Foundation
import Testing
import Vapor
import Yams

@testable import App

@Suite("Service : santé, contrat OpenAPI, erreurs, journaux, configuration")
struct PlatformTests {
    @Test(arguments: TestDatabase.all)
    func everyApiRouteIsInTheOpenAPIDocument(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let response = try await app.send(.GET, "/openapi.json")
            #expect(response.status == .ok)
            #expect((response["openapi"] as? String)?.hasPrefix("3.") == true)
            let paths = try #require(response["paths"] as? [String: [String: Any]])
            let routes = app.routes.all.filter { $0.path.first == .constant("api") || $0.path == [.constant("health")] || $0.path == [.constant("ready")] }
            #expect(routes.count >= 8)
            for route in routes {
                let path =
                    "/"
                    + route.path.map { component -> String in
                        if case .parameter(let name) = component { return "{\(name)}" }
                        return component.description
                    }.joined(separator: "/")
                let operation = paths[path]?[route.method.rawValue.lowercased()] as? [String: Any]
                #expect(operation != nil, "\(route.method) \(path) is missing from openapi.yaml")
                #expect((operation?["responses"] as? [String: Any])?.isEmpty == false)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func wrongMethodIs405WithAllow(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let response = try await app.send(.DELETE, "/api/simulator/sessions")
            #expect(response.status == .methodNotAllowed)
            #expect(response.headers.first(name: .allow) == "POST")
            #expect(response.errorCode == "METHOD_NOT_ALLOWED")
            let unknown = try await app.send(.GET, "/api/nowhere")
            #expect(unknown.status == .notFound)
            #expect(unknown.errorCode == "NOT_FOUND")
        }
    }

    @Test(arguments: TestDatabase.all)
    func onlyARequestBodyThatDoesNotDecodeIsTheClientsMistake(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            // The server failing to read its own data (a stored document, say): Vapor would call it 400.
            app.get("api", "essai-document-illisible") { _ -> String in
                throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "document stocké illisible"))
            }
            let ours = try await app.send(.GET, "/api/essai-document-illisible")
            #expect(ours.status == .internalServerError)
            #expect(ours.errorCode == "INTERNAL_ERROR")
            let theirs = try await app.send(.POST, "/api/auth/login", json: #"{"email": 3}"#)
            #expect(theirs.status == .badRequest)
            #expect(theirs.errorCode == "INVALID_JSON")
            #expect(try theirs.failure().error.hasPrefix("Corps de requête invalide"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func productsAreKeptInStepWithTheCatalog(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let rows = try await ProduitEligible.query(on: app.db).sort(\.$code).all()
            #expect(rows.map(\.code) == app.catalog.products.map(\.code).sorted())
            #expect(rows.allSatisfy { $0.isActive })
            let stale = ProduitEligible()
            stale.code = "ANCIEN"
            stale.name = "Ancien produit"
            stale.description = "-"
            stale.category = "-"
            stale.isActive = true
            stale.createdAt = testStart
            stale.updatedAt = testStart
            try await stale.save(on: app.db)
            try await CatalogSync.run(app.catalog, on: app.db, now: testStart)
            try await CatalogSync.run(app.catalog, on: app.db, now: testStart)
            let after = try await ProduitEligible.query(on: app.db).all()
            #expect(after.count == rows.count + 1)
            #expect(after.first { $0.code == "ANCIEN" }?.isActive == false)
        }
    }

    @Test(arguments: TestDatabase.all)
    func tokensNeverReachTheLogs(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let token = try await app.newSession()
            _ = try await app.send(.GET, "/api/simulator/sessions/\(token)")
            _ = try await app.send(.PUT, "/api/simulator/sessions/\(token)/answers", object: ["answers": ["GENERAL_001": "nope"]])
            _ = try await app.send(.POST, "/api/simulator/sessions/\(token)/complete")
            _ = try await app.send(.DELETE, "/api/simulator/sessions/\(token)")
            #expect(CapturedLogs.contains("/api/simulator/sessions/:token"), "requests are logged by route")
            // Debug-level SQL logs may show the stored hash, which cannot open the session; never the token.
            #expect(!CapturedLogs.contains(token))
        }
    }

    @Test(arguments: TestDatabase.all)
    func busyDatabaseIs503WithRetryAfterAndWritesNothing(_ database: TestDatabase) async throws {
        // Long enough to open a connection while the whole suite loads the machine: with 2 s, a fresh
        // clone's run once timed out before the test held anything (in setting up or taking the connections).
        try await withTestApp(database, settings: { $0.databasePoolTimeoutMilliseconds = 5_000 }) { app in
            let token = try await app.newSession()
            let held = try await app.holdEveryDatabaseConnection()
            let read = try await app.send(.GET, "/api/simulator/sessions/\(token)")
            let write = try await app.send(.POST, "/api/simulator/sessions")
            let command = await #expect(throws: CommandError.self) { try await app.runCommand(["stats"]) }
            try await held.release()
            #expect(commandLineMessage(for: command!.error).hasSuffix("réessayez dans quelques instants. (DATABASE_BUSY)"))
            for response in [read, write] {
                #expect(response.status == .serviceUnavailable)
                #expect(response.errorCode == "DATABASE_BUSY")
                #expect(try !response.failure().success)
                #expect(response.headers.first(name: "Retry-After") == "1")
            }
            // An overload the application recognised: a warning naming the route, not an internal error.
            #expect(CapturedLogs.refusalIsAWarning(503, "DATABASE_BUSY", on: "POST /api/simulator/sessions"))
            #expect(try await TemporarySession.query(on: app.db).count() == 1)
            #expect(try await app.send(.GET, "/api/simulator/sessions/\(token)").status == .ok)
        }
    }

    @Test func settingsReadTheEnvironment() throws {
        let defaults = try AppSettings.fromEnvironment([:])
        #expect(defaults.host == "127.0.0.1")
        #expect(defaults.port == 8080)
        #expect(defaults.database == .sqlite(path: "passerelle.sqlite"))
        #expect(defaults.sessionLifetime == 7 * 24 * 3600)
        let custom = try AppSettings.fromEnvironment([
            "PORT": "9000", "DATABASE_URL": "postgres://u:p@localhost:5432/db", "SESSION_LIFETIME_HOURS": "48",
            "MIGRATION_ENABLED": "false", "MIGRATION_TIMEOUT": "2000", "MIGRATION_BATCH_SIZE": "25",
            "DATABASE_MAX_CONNECTIONS": "12", "DATABASE_POOL_TIMEOUT": "1500",
            "SESSION_RETENTION_DAYS": "0", "SESSION_PURGE_INTERVAL_MINUTES": "15",
        ])
        #expect(custom.port == 9000)
        #expect(custom.database == .postgres(url: "postgres://u:p@localhost:5432/db", searchPath: nil))
        #expect(custom.sessionLifetime == 48 * 3600)
        #expect(custom.migrationEnabled == false)
        #expect(custom.migrationTimeoutMilliseconds == 2000)
        #expect(custom.migrationBatchSize == 25)
        #expect(defaults.databasePoolTimeoutMilliseconds == 30_000)
        #expect(custom.databasePoolTimeoutMilliseconds == 1500)
        #expect(defaults.databaseMaxConnections == nil)
        #expect(custom.databaseMaxConnections == 12)
        // Spread over the event loops, rounded up; one per loop by default.
        #expect(custom.databaseConnectionsPerLoop(loops: 5) == 3)
        #expect(custom.databaseConnectionsPerLoop(loops: 24) == 1)
        #expect(defaults.databaseConnectionsPerLoop(loops: 4) == 1)
        #expect(defaults.sessionRetention == 30 * 86_400)
        #expect(custom.sessionRetention == 0)
        #expect(defaults.sessionPurgeInterval == 3_600)
        #expect(custom.sessionPurgeInterval == 900)
        #expect(try AppSettings.fromEnvironment(["SESSION_PURGE_INTERVAL_MINUTES": "0"]).sessionPurgeInterval == nil)
        #expect(defaults.shutdownGracePeriod == 10)
        #expect(defaults.idleConnectionTimeout == 30)
        let stopping = try AppSettings.fromEnvironment(["SHUTDOWN_GRACE_SECONDS": "25", "IDLE_CONNECTION_TIMEOUT_SECONDS": "0"])
        #expect(stopping.shutdownGracePeriod == 25)
        #expect(stopping.idleConnectionTimeout == nil)
    }

    @Test(arguments: [
        ("PORT", "abc"), ("PORT", "70000"), ("DATABASE_URL", "mysql://localhost/db"), ("SESSION_LIFETIME_HOURS", "0"),
        ("MIGRATION_ENABLED", "peut-être"), ("MIGRATION_TIMEOUT", "-1"), ("CATALOG_PATH", "/nowhere/catalog"),
        ("DATABASE_MAX_CONNECTIONS", "0"), ("DATABASE_POOL_TIMEOUT", "50"), ("SESSION_RETENTION_DAYS", "-1"),
        ("SESSION_PURGE_INTERVAL_MINUTES", "10081"), ("SHUTDOWN_GRACE_SECONDS", "601"), ("IDLE_CONNECTION_TIMEOUT_SECONDS", "-5"),
    ])
    func wrongSettingNamesTheVariable(_ name: String, _ value: String) throws {
        let error = #expect(throws: SettingsError.self) { try AppSettings.fromEnvironment([name: value]) }
        #expect(error?.variable == name)
        #expect(error?.description.contains(name) == true)
        if name == "DATABASE_URL" { #expect(error?.description.contains("mysql") == false, "no secret in the message") }
    }

    @Test func storedTokenHashIsLowercaseHexSHA256() {
        // Known vectors (FIPS 180-2): the stored form must stay what PostgreSQL's
        // encode(sha256(…), 'hex') computes in migrate_simulator_to_existing_client.
        #expect(SecretToken.hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SecretToken.hash("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SecretToken.hash("jeton-été") == "738387ee5a2ad5acc5d46359c2b64661d83b8c76de621bc6ed4352d13d6142fd")  // UTF-8 bytes, as convert_to(…, 'UTF8')
    }

    @Test func generatedTokensAreLongRandomAndNeverStartWithADash() {
        // 20,000 draws: with "-" allowed first, about 312 would start with it, and none does only with
        // a probability of e^-312.
        let tokens = (0..<20_000).map { _ in SecretToken.generate() }
        let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        #expect(tokens.allSatisfy { $0.count == 43 && $0.allSatisfy(alphabet.contains) })
        #expect(tokens.filter { $0.hasPrefix("-") }.isEmpty)
        #expect(Set(tokens).count == tokens.count)
        let firsts = Set(tokens.compactMap(\.first))
        #expect(firsts.count == 63, "every other character still comes first: \(64 - firsts.count) missing")
    }

    @Test func postgresRunsWhenTheTestCommandAsksForIt() {
        if ProcessInfo.processInfo.environment["PASSERELLE_REQUIRE_POSTGRES"] == "1" {
            #expect(TestDatabase.postgresURL != nil, "make test must start PostgreSQL and pass its URL")
        }
        #expect(TestDatabase.all.contains(.sqlite))
    }
}
