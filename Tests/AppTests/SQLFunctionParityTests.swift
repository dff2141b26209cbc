import Eligibility
import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Testing
import Vapor

@testable import App

/// PostgreSQL only: the user's documented function and the SQL functions' installation, time
/// limits and concurrency. That every writer leaves the same rows is `MigrationWriterParityTests`.
/// The clock starts now: the function reads PostgreSQL's `now()` to check expiry.
@Suite("Fonction SQL migrate_simulator_to_existing_client")
struct SQLFunctionParityTests {
    static let databases = TestDatabase.all.filter { $0 == .postgres }

    /// A client with four products (TICPE already in an expert's hands) and a second completed session.
    func prepare(_ app: Application) async throws -> (token: String, clientID: UUID) {
        let (clientID, _) = try await app.signUp(token: try await app.completedSession(), email: "client@email.com")
        let ticpe = try #require(
            try await ClientProduitEligible.query(on: app.db)
                .join(ProduitEligible.self, on: \ClientProduitEligible.$product.$id == \ProduitEligible.$id)
                .filter(ProduitEligible.self, \.$code == "TICPE").first())
        ticpe.expertID = UUID()
        try await ticpe.save(on: app.db)
        let token = try await app.completedSession(changing: [
            "FONCIER_001": 5000, "CEE_001": "projet_non_signe",
            "CEE_002": ["isolation"], "CEE_003": 1_000_000,
        ])
        return (token, clientID)
    }

    func callFunction(_ app: Application, _ token: String, _ email: String) async throws -> UserFunctionReply {
        try parse(try await functionReply(on: app.db, token, email))
    }

    /// The function's answer as text, called on `database` (a transaction's, for instance).
    func functionReply(on database: any Database, _ token: String, _ email: String) async throws -> String {
        let row = try #require(
            try await (database as! any SQLDatabase)
                .raw("SELECT migrate_simulator_to_existing_client(\(bind: token), \(bind: email))::text AS result").first())
        return try row.decode(column: "result", as: String.self)
    }

    func parse(_ reply: String) throws -> UserFunctionReply {
        try UserFunctionReply(json: reply)
    }

    /// The function's answer for client@email.com with `passerelle.migration_timeout` set to `timeout`
    /// for that call's transaction only.
    func callFunction(_ app: Application, _ token: String, timeout: String) async throws -> UserFunctionReply {
        try parse(
            try await app.db.transaction { transaction in
                try await (transaction as! any SQLDatabase)
                    .raw("SELECT set_config('passerelle.migration_timeout', \(bind: timeout), true)").run()
                return try await functionReply(on: transaction, token, "client@email.com")
            })
    }

    /// No row added since `before`, and the session still waiting to be migrated.
    func expectNothingWritten(
        _ app: Application, _ token: String, since before: (clients: Int, products: Int, simulations: Int, audits: Int)
    ) async throws {
        #expect(try await app.migrationRows() == before)
        #expect(try await TemporarySession.query(on: app.db).filter(\.$tokenHash == SecretToken.hash(token)).first()?.status == .completed)
    }

    /// The user's function answers the JSON of their document, and the verification query of their
    /// document, as written, finds the products (the rows themselves: `MigrationWriterParityTests`).
    @Test(arguments: databases)
    func functionAnswersTheDocumentedJSONAndTheDocumentedQueryFindsTheProducts(_ database: TestDatabase) async throws {
        try await withTestApp(database, clock: ManualClock(Date())) { app in
            // Given a client with four products, TICPE in an expert's hands, and a second completed session
            let (token, clientID) = try await prepare(app)

            // When the user's function attaches it, the e-mail typed in another case
            let result = try await callFunction(app, token, "Client@Email.com")

            // Then it answers as documented, and the document's query finds the five products
            #expect(result.success)
            #expect(result.clientID == clientID.uuidString.lowercased())
            #expect(result.clientEmail == "client@email.com")
            #expect(result.migratedProductsCount == 4)
            #expect(result.sessionToken == token)
            #expect(result.message == "Migration réussie vers le client existant")
            let rows = try await app.db.sql.raw(
                """
                SELECT * FROM "ClientProduitEligible"
                WHERE "clientId" = (SELECT id FROM "Client" WHERE email = 'client@email.com')
                AND metadata->>'migrated_from_simulator' = 'true';
                """
            ).all()
            #expect(rows.count == 5)
        }
    }

    @Test(arguments: databases)
    func functionIsExactlyOnceAndRefusesClearly(_ database: TestDatabase) async throws {
        try await withTestApp(database, clock: ManualClock(Date())) { app in
            let (token, _) = try await prepare(app)
            _ = try await app.signUp(token: try await app.completedSession(), email: "autre@email.com")
            let unknown = try await callFunction(app, token, "personne@email.com")
            #expect(!unknown.success)
            #expect(unknown.errorCode == "CLIENT_NOT_FOUND")
            let missing = try await callFunction(app, "jeton-inconnu", "client@email.com")
            #expect(missing.errorCode == "SESSION_NOT_FOUND")

            let before = try await app.migrationRows()
            let results = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        let row = try await (app.db as! any SQLDatabase)
                            .raw("SELECT migrate_simulator_to_existing_client(\(bind: token), 'client@email.com')::text AS result").first()
                        return try row!.decode(column: "result", as: String.self)
                    }
                }
                var all: [String] = []
                for try await text in group { all.append(text) }
                return all
            }
            let objects = try results.map(UserFunctionReply.init(json:))
            #expect(objects.allSatisfy { $0.success })
            #expect(objects.filter { $0.alreadyMigrated == nil }.count == 1)
            #expect(objects.filter { $0.alreadyMigrated == true }.count == 7)
            let after = try await app.migrationRows()
            #expect(after.simulations == before.simulations + 1)
            #expect(after.audits == before.audits + 1)
            #expect(after.products == before.products + 1)

            let otherClient = try await callFunction(app, token, "autre@email.com")
            #expect(!otherClient.success)
            #expect(otherClient.errorCode == "SESSION_ALREADY_MIGRATED")
            #expect(try await app.migrationRows() == after)

            // The Swift path sees the function's migration as its own first outcome.
            let client = try #require(try await app.accounts.findClient(email: "client@email.com", on: app.db))
            let retry = try await app.sessionMigration.migrate(token: token, to: .existingClient(client), actor: .commandLine, on: app.db)
            #expect(retry.alreadyMigrated)
            #expect(retry.outcome.migratedProductsCount == 4)
        }
    }

    @Test(arguments: databases)
    func revertingTheFunctionsDropsBothAndInstallingRestoresThem(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let sql = app.db as! any SQLDatabase
            func installed() async throws -> [String] {
                try await sql.raw(
                    """
                    SELECT proname FROM pg_proc WHERE pronamespace = current_schema()::regnamespace
                       AND proname IN ('passerelle_migrate_session', 'migrate_simulator_to_existing_client') ORDER BY proname
                    """
                ).all().map { try $0.decode(column: "proname", as: String.self) }
            }
            let both = ["migrate_simulator_to_existing_client", "passerelle_migrate_session"]
            #expect(try await installed() == both)
            try await InstallSQLFunctions(backend: app.backend).revert(on: app.db)
            #expect(try await installed() == [])
            try await InstallSQLFunctions(backend: app.backend).prepare(on: app.db)
            #expect(try await installed() == both)
        }
    }

    /// A database upgraded from an earlier release runs the current text of the functions.
    @Test(arguments: databases)
    func upgradingReplacesAnEarlierFunctionText(_ database: TestDatabase) async throws {
        try await withTestApp(database, clock: ManualClock(Date())) { app in
            let sql = app.db as! any SQLDatabase
            let (token, _) = try await prepare(app)
            // An earlier release: another text under the same signature, installed without a digest.
            try await sql.raw(
                """
                CREATE OR REPLACE FUNCTION passerelle_migrate_session(p_token_hash text, p_client_id uuid, p_actor_type text,
                    p_actor_id uuid, p_now timestamptz, p_timeout_ms integer)
                RETURNS jsonb LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'earlier release'; END $$
                """
            ).run()
            try await sql.raw("COMMENT ON FUNCTION passerelle_migrate_session IS NULL").run()
            #expect(try await callFunction(app, token, "client@email.com").error == "earlier release")

            // The next start's schema step, with no schema change recorded for it.
            _ = try await SchemaStep.run(app: app, backend: app.backend, catalog: app.catalog, applyPending: false, now: Date())
            let reply = try await callFunction(app, token, "client@email.com")
            #expect(reply.success, "\(reply)")
            #expect(reply.migratedProductsCount == 4)
        }
    }

    /// The function's time limit is the setting `passerelle.migration_timeout`: past it the answer is
    /// MIGRATION_TIMEOUT with nothing written, a setting that is not a number of milliseconds in range
    /// is refused, and with room enough the same call migrates.
    @Test(arguments: databases)
    func functionTimeoutComesFromTheSetting(_ database: TestDatabase) async throws {
        try await withTestApp(database, clock: ManualClock(Date())) { app in
            let (token, _) = try await prepare(app)
            let before = try await app.migrationRows()
            // 300 ms before the audit event, the last row a migration writes.
            try await app.injectBeforeAuditInsert("PERFORM pg_sleep(0.3); RETURN NEW; ")
            let late = try await callFunction(app, token, timeout: "100")
            #expect(!late.success)
            #expect(late.errorCode == "MIGRATION_TIMEOUT", "\(late)")
            #expect(late.error == AppError.migrationTimeout.message, "\(late)")
            try await expectNothingWritten(app, token, since: before)

            for invalid in ["abc", "50", "600001", "-5", "1e4"] {
                let refused = try await callFunction(app, token, timeout: invalid)
                #expect(refused.errorCode == "INVALID_SETTING", "\(invalid): \(refused)")
                #expect(refused.error?.contains("passerelle.migration_timeout") == true)
            }
            try await expectNothingWritten(app, token, since: before)

            let patient = try await callFunction(app, token, timeout: "5000")
            #expect(patient.success, "\(patient)")
            #expect(patient.migratedProductsCount == 4)
            #expect(try await app.migrationRows().audits == before.audits + 1)
        }
    }

    /// A client row that another transaction keeps locked: neither path waits past its limit (the
    /// application's MIGRATION_TIMEOUT, the function's passerelle.migration_timeout); both answer
    /// MIGRATION_TIMEOUT and write nothing, and the migration goes through once the lock is gone.
    @Test(arguments: databases)
    func aLockNotGrantedInTimeIsAnsweredMigrationTimeout(_ database: TestDatabase) async throws {
        // A free connection on every event loop besides the one that holds the lock.
        try await withTestApp(database, clock: ManualClock(Date()), settings: { $0.databaseMaxConnections = 8 }) { app in
            let (token, clientID) = try await prepare(app)
            // Short only from here: the sign-up above may take longer on a loaded machine.
            app.settings.migrationTimeoutMilliseconds = 200
            let client = try #require(try await Client.find(clientID, on: app.db))
            let before = try await app.migrationRows()
            let locked = app.eventLoopGroup.any().makePromise(of: Void.self)
            let release = NIOLockedValueBox(false)
            // Holds the lock until the checks below are done, or 30 s at most: a path that waited for
            // it would take those 30 s and then migrate, not hang.
            let holder = Task {
                try await app.db.transaction { transaction in
                    let sql = transaction as! any SQLDatabase
                    try await sql.raw(#"SELECT 1 FROM "Client" WHERE "id" = \#(bind: clientID) FOR UPDATE"#).run()
                    locked.succeed(())
                    let giveUp = Date().addingTimeInterval(30)
                    while !release.withLockedValue({ $0 }) && Date() < giveUp {
                        try await sql.raw("SELECT pg_sleep(0.05)").run()
                    }
                }
            }
            try await locked.futureResult.get()

            let started = Date()
            let throughTheApplication = await #expect(throws: AppError.self) {
                try await app.sessionMigration.migrate(token: token, to: .existingClient(client), actor: .commandLine, on: app.db)
            }
            #expect(throughTheApplication?.code == "MIGRATION_TIMEOUT")
            #expect(throughTheApplication?.status == .gatewayTimeout)
            let throughTheFunction = try await callFunction(app, token, timeout: "100")
            #expect(!throughTheFunction.success)
            #expect(throughTheFunction.errorCode == "MIGRATION_TIMEOUT", "\(throughTheFunction)")
            // Generous for a loaded machine, far below the holder's 30 s.
            #expect(Date().timeIntervalSince(started) < 15, "neither path waited for the lock")
            try await expectNothingWritten(app, token, since: before)

            release.withLockedValue { $0 = true }
            try await holder.value
            let done = try await app.sessionMigration.migrate(token: token, to: .existingClient(client), actor: .commandLine, on: app.db)
            #expect(done.outcome.migratedProductsCount == 4)
        }
    }
}
