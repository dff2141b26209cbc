import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Testing
import Vapor

@testable import App

@Suite("Migration session → client : inscription, client existant, exactement une fois")
struct SessionMigrationAPITests {
    @Test(arguments: TestDatabase.all)
    func signUpCreatesTheClientMigratesAndSignsIn(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            // Given a completed session, when the visitor signs up with it
            let token = try await app.completedSession()
            let response = try await app.send(
                .POST, "/api/session-migration/migrate",
                object: ["session_token": token, "client_data": signupForm()])

            // Then the client is created, four products attached, and the browser signed in
            #expect(response.status == .created)
            let migrated = try response.decode(SessionMigrationResponseDTO.self)
            #expect(migrated.success)
            #expect(migrated.clientEmail == "jeanne.martin@example.fr")
            #expect(migrated.migratedProductsCount == 4)
            #expect(migrated.sessionToken == token)
            #expect(!migrated.alreadyMigrated)
            let byCode = Dictionary(uniqueKeysWithValues: migrated.products.map { ($0.productCode, $0.outcome) })
            #expect(
                byCode == [
                    "CEE": "not_eligible", "CIR": "not_eligible", "DFS": "created", "FONCIER": "created",
                    "MSA": "not_eligible", "TICPE": "created", "URSSAF": "created",
                ])
            let access = try #require(migrated.accessToken)

            // And the profile holds the form and what the answers gave, nothing invented
            let me = try await app.get("/api/client/me", bearer: access)
            #expect(me.status == .ok)
            let profile = try me.decode(ClientProfileDTO.self)
            #expect(profile.companyName == "Transports Martin")
            #expect(profile.secteurActivite == "Transport routier de marchandises")
            #expect(profile.trancheEffectif == "21 à 50")
            #expect(profile.siren == "443061841")
            #expect(!me.body.contains("password"))

            let client = try #require(try await Client.query(on: app.db).first())
            #expect(client.passwordHash.hasPrefix("$2"))
            #expect(client.passwordHash != "motdepasse2026")
            #expect(client.employeeCount == nil && client.annualRevenue == nil, "nothing invented")

            let rows = try await ClientProduitEligible.query(on: app.db).with(\.$product).all()
            #expect(rows.count == 4)
            let ticpe = try #require(rows.first { $0.product.code == "TICPE" })
            #expect(ticpe.statut == "eligible")
            #expect(ticpe.tauxFinal == 1.0)
            #expect(ticpe.montantFinal == 7780)
            #expect(ticpe.priorite == 1)
            #expect(ticpe.metadata.migratedFromSimulator)
            #expect(ticpe.metadata.source == "simulator_migration")
            #expect(ticpe.metadata.calculationDetails?.savings.steps.last?.value == 7780)
            #expect(rows.first { $0.product.code == "URSSAF" }?.tauxFinal == 0.9)

            let simulation = try #require(try await Simulation.query(on: app.db).first())
            #expect(simulation.answers.count == haulierAnswers.count)
            #expect(simulation.answers.first?.questionText == "Dans quel secteur d'activité exercez-vous principalement ?")
            #expect(simulation.results.count == 7)
            #expect(ticpe.$simulation.id == simulation.id)

            let session = try #require(try await TemporarySession.query(on: app.db).first())
            #expect(session.status == .migrated)
            #expect(session.$client.id == client.id)
            #expect(session.migratedAt == testStart)

            let audits = try await AuditEvent.query(on: app.db).all()
            #expect(audits.count == 1)
            #expect(audits.first?.actorType == "signup")
            #expect(audits.first?.details.products?.count == 7)

            // And the client's routes show them
            let products = try await app.get("/api/client/products", bearer: access).decode(ClientProductsDTO.self)
            #expect(products.products.count == 4)
            #expect(products.totalMontantFinal == 8788.0)
            let simulations = try await app.get("/api/client/simulations", bearer: access).decode(SimulationsDTO.self)
            #expect(simulations.simulations.count == 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func signUpValidationNamesEachFieldAndWritesNothing(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let token = try await app.completedSession()
            var form = signupForm(email: "pas-un-email", password: "court")
            form["siren"] = "123456789"
            form["postal_code"] = "00999"
            form["phone_number"] = "12 34"
            form["city"] = ""
            let response = try await app.send(
                .POST, "/api/session-migration/migrate", object: ["session_token": token, "client_data": form])
            #expect(response.status == .unprocessableEntity)
            #expect(response.errorCode == "VALIDATION_FAILED")
            let fields = Set(try #require(try response.failure().details).map(\.field))
            #expect(
                fields == [
                    "client_data.email", "client_data.password", "client_data.siren", "client_data.postal_code",
                    "client_data.phone_number", "client_data.city",
                ])
            let rows = try await app.migrationRows()
            #expect(rows.clients == 0 && rows.products == 0 && rows.simulations == 0 && rows.audits == 0)
            #expect(try await TemporarySession.query(on: app.db).first()?.status == .completed)
        }
    }

    @Test(arguments: ["443061841", "732 829 320"])
    func validSirenPassesTheCheckDigit(_ siren: String) {
        #expect(ClientSignup.isSIREN(siren.filter { $0 != " " }))
        #expect(!ClientSignup.isSIREN("443061842"))
        #expect(ClientSignup.isFrenchPostalCode("97400") && !ClientSignup.isFrenchPostalCode("99000"))
        #expect(ClientSignup.isFrenchPhone("+33123456789") && !ClientSignup.isFrenchPhone("0012345678"))
    }

    @Test(arguments: TestDatabase.all)
    func aSignUpThatCannotSucceedHashesNoPassword(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let hashes = NIOLockedValueBox(0)
            app.migrationHooks.beforePasswordHash = { hashes.withLockedValue { $0 += 1 } }
            func signUp(_ token: String, _ email: String) async throws -> JSONResponse {
                try await app.send(
                    .POST, "/api/session-migration/migrate", object: ["session_token": token, "client_data": signupForm(email: email)])
            }
            let first = try await app.completedSession()
            #expect(try await signUp(first, "jeanne@example.fr").status == .created)
            #expect(hashes.withLockedValue { $0 } == 1)

            // No such session, one not completed, one migrated to someone else, an address with an account.
            let unknown = String(repeating: "x", count: 43)
            #expect(try await signUp(unknown, "paul@example.fr").errorCode == "SESSION_NOT_FOUND")
            #expect(try await signUp(try await app.newSession(), "paul@example.fr").errorCode == "SESSION_NOT_COMPLETED")
            #expect(try await signUp(first, "paul@example.fr").errorCode == "SESSION_ALREADY_MIGRATED")
            let second = try await app.completedSession()
            #expect(try await signUp(second, "Jeanne@Example.fr").errorCode == "EMAIL_ALREADY_REGISTERED")
            #expect(hashes.withLockedValue { $0 } == 1)

            #expect(try await signUp(second, "paul@example.fr").status == .created)
            #expect(hashes.withLockedValue { $0 } == 2)
        }
    }

    @Test(arguments: TestDatabase.all)
    func existingEmailIsRefusedWithAHintAndNothingWritten(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await app.signUp(token: try await app.completedSession())
            let second = try await app.completedSession()
            let before = try await app.migrationRows()
            let response = try await app.send(
                .POST, "/api/session-migration/migrate",
                object: ["session_token": second, "client_data": signupForm(email: "JEANNE.martin@example.fr")])
            #expect(response.status == .conflict)
            #expect(response.errorCode == "EMAIL_ALREADY_REGISTERED")
            #expect(try response.failure().error.contains("connectez-vous"))
            let after = try await app.migrationRows()
            #expect(before == after)
            let session = try #require(
                try await TemporarySession.query(on: app.db).filter(\.$tokenHash == SecretToken.hash(second)).first())
            #expect(session.status == .completed)
        }
    }

    @Test(arguments: TestDatabase.all)
    func retryingTheSameSignUpReturnsTheFirstOutcome(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let token = try await app.completedSession()
            let (clientID, _) = try await app.signUp(token: token)
            let before = try await app.migrationRows()
            let retry = try await app.send(
                .POST, "/api/session-migration/migrate", object: ["session_token": token, "client_data": signupForm()])
            #expect(retry.status == .ok)
            let again = try retry.decode(SessionMigrationResponseDTO.self)
            #expect(again.alreadyMigrated)
            #expect(again.clientID == clientID)
            #expect(again.migratedProductsCount == 4)
            #expect(try await app.migrationRows() == before)
            let other = try await app.send(
                .POST, "/api/session-migration/migrate",
                object: ["session_token": token, "client_data": signupForm(email: "autre@example.fr")])
            #expect(other.status == .conflict)
            #expect(other.errorCode == "SESSION_ALREADY_MIGRATED")
            #expect(try await app.migrationRows() == before)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aStoredOutcomeThatCannotBeReadLeavesTheSessionReadable(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let token = try await app.completedSession()
            let (_, access) = try await app.signUp(token: token)
            // An outcome written by some other version, in a shape this one does not know.
            try await (app.db as! any SQLDatabase).update(TemporarySession.schema)
                .set("migration_result", to: SQLBind(try JSONDocument(encoding: ["ancienne_forme": true])))
                .run()
            let before = try await app.migrationRows()

            let session = try await app.send(.GET, "/api/simulator/sessions/\(token)")
            #expect(session.status == .ok)
            #expect(try session.decode(SessionStateDTO.self).status == .migrated)
            #expect(try await !app.send(.GET, "/api/session-migration/can-migrate/\(token)").decode(CanMigrateDTO.self).canMigrate)
            // Retries can no longer be given the first outcome: refused as already migrated, nothing written.
            let signUpAgain = try await app.send(
                .POST, "/api/session-migration/migrate", object: ["session_token": token, "client_data": signupForm()])
            #expect(signUpAgain.status == .conflict)
            #expect(signUpAgain.errorCode == "SESSION_ALREADY_MIGRATED")
            let attachAgain = try await app.send(
                .POST, "/api/session-migration/migrate-existing", object: ["session_token": token], bearer: access)
            #expect(attachAgain.status == .conflict)
            #expect(attachAgain.errorCode == "SESSION_ALREADY_MIGRATED")
            #expect(try await app.migrationRows() == before)
        }
    }

    @Test(arguments: TestDatabase.all)
    func signedInClientAttachesASessionAndWorkedProductsAreKept(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let (clientID, access) = try await app.signUp(token: try await app.completedSession())
            // An expert has started on TICPE: it must not be overwritten.
            let ticpe = try #require(
                try await ClientProduitEligible.query(on: app.db).join(
                    ProduitEligible.self, on: \ClientProduitEligible.$product.$id == \ProduitEligible.$id
                )
                .filter(ProduitEligible.self, \.$code == "TICPE").first())
            ticpe.currentStep = 2
            try await ticpe.save(on: app.db)

            let second = try await app.completedSession(changing: [
                "FONCIER_001": 5000, "CEE_001": "projet_non_signe", "CEE_002": ["isolation"], "CEE_003": 1_000_000,
            ])
            let response = try await app.send(
                .POST, "/api/session-migration/migrate-existing", object: ["session_token": second], bearer: access)
            #expect(response.status == .ok)
            let attached = try response.decode(SessionMigrationResponseDTO.self)
            #expect(attached.clientID == clientID)
            let byCode = Dictionary(uniqueKeysWithValues: attached.products.map { ($0.productCode, $0.outcome) })
            #expect(byCode["TICPE"] == "kept")
            #expect(byCode["FONCIER"] == "updated")
            #expect(byCode["CEE"] == "created")
            #expect(attached.migratedProductsCount == 4, "FONCIER, URSSAF, DFS updated; CEE created")

            let rows = try await ClientProduitEligible.query(on: app.db).with(\.$product).all()
            #expect(rows.count == 5)
            #expect(rows.first { $0.product.code == "FONCIER" }?.montantFinal == 420)
            #expect(rows.first { $0.product.code == "TICPE" }?.currentStep == 2)
            #expect(try await Simulation.query(on: app.db).count() == 2)
            let audit = try #require(try await AuditEvent.query(on: app.db).filter(\.$actorType == "client").first())
            #expect(audit.actorID == clientID)
            #expect(audit.details.products?.first { $0.productCode == "TICPE" }?.outcome == "kept")
        }
    }

    @Test(arguments: TestDatabase.all)
    func nobodyWritesIntoSomeoneElsesAccount(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await app.signUp(token: try await app.completedSession(), email: "victime@example.fr")
            let (_, intruder) = try await app.signUp(token: try await app.completedSession(), email: "intrus@example.fr")
            let target = try await app.completedSession()
            let before = try await app.migrationRows()

            let anonymous = try await app.send(
                .POST, "/api/session-migration/migrate-existing",
                object: ["session_token": target, "client_email": "victime@example.fr"])
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.errorCode == "AUTHENTICATION_REQUIRED")
            let forged = try await app.send(
                .POST, "/api/session-migration/migrate-existing",
                object: ["session_token": target], bearer: "jeton-invente-0123456789")
            #expect(forged.status == .unauthorized)
            let other = try await app.send(
                .POST, "/api/session-migration/migrate-existing",
                object: ["session_token": target, "client_email": "victime@example.fr"], bearer: intruder)
            #expect(other.status == .forbidden)
            #expect(try await app.migrationRows() == before)
            #expect(try await app.get("/api/session-migration/stats", bearer: intruder).status == .forbidden)
        }
    }

    @Test(arguments: TestDatabase.all)
    func operatorAttachesBySomeonesEmailAndReadsStatistics(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let (clientID, _) = try await app.signUp(token: try await app.completedSession(), email: "cliente@example.fr")
            _ = try await app.runCommand(["create-operator", "--email", "ops@passerelle.fr", "--password", "operateur-secret-1"])
            let access = try await app.login("OPS@passerelle.fr", "operateur-secret-1")
            let session = try await app.completedSession()
            _ = try await app.newSession()

            let missing = try await app.send(
                .POST, "/api/session-migration/migrate-existing", object: ["session_token": session], bearer: access)
            #expect(missing.status == .unprocessableEntity)
            let unknown = try await app.send(
                .POST, "/api/session-migration/migrate-existing",
                object: ["session_token": session, "client_email": "personne@example.fr"], bearer: access)
            #expect(unknown.status == .notFound)
            #expect(unknown.errorCode == "CLIENT_NOT_FOUND")
            let done = try await app.send(
                .POST, "/api/session-migration/migrate-existing",
                object: ["session_token": session, "client_email": "Cliente@Example.fr"], bearer: access)
            #expect(done.status == .ok)
            #expect(try done.decode(SessionMigrationResponseDTO.self).clientID == clientID)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$actorType == "operator").count() == 1)

            // And the operator's figures count both migrations
            let figures = try await app.get("/api/session-migration/stats", bearer: access)
            #expect(figures.status == .ok)
            let stats = try figures.decode(StatsDTO.self)
            #expect(stats.totalSessions == 3)
            #expect(stats.completedSessions == 2)
            #expect(stats.migratedSessions == 2)
            #expect(stats.conversionRate == 100.0)
            #expect(stats.byProduct.first { $0.productCode == "TICPE" }?.eligibleSessions == 2)
            #expect(stats.byDay.first?.date == "2026-03-02")
            #expect(stats.byDay.first?.totalSessions == 3)
        }
    }

    @Test(arguments: TestDatabase.all)
    func canMigrateAndSessionDataTellTheVisitorWhereHeStands(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            // Given a session still open, then it cannot be migrated yet, and says why
            let open = try await app.newSession()
            let early = try await app.send(.GET, "/api/session-migration/can-migrate/\(open)")
            #expect(early.status == .ok)
            #expect(try !early.decode(CanMigrateDTO.self).canMigrate)
            #expect(try early.decode(CanMigrateDTO.self).reasonCode == "SESSION_NOT_COMPLETED")
            #expect(try await app.send(.GET, "/api/session-migration/session-data/\(open)").status == .conflict)

            // Given a completed session, then it can, and its data prepares the sign-up form
            let token = try await app.completedSession()
            let ready = try await app.send(.GET, "/api/session-migration/can-migrate/\(token)")
            #expect(try ready.decode(CanMigrateDTO.self).canMigrate)
            let response = try await app.send(.GET, "/api/session-migration/session-data/\(token)")
            #expect(response.status == .ok)
            let data = try response.decode(SessionDataDTO.self)
            #expect(data.totalPotentialSavings == 8788.0)
            #expect(data.highEligibilityCount == 4)
            #expect(data.extractedClientData.secteurActivite == "Transport routier de marchandises")
            #expect(data.extractedClientData.trancheChiffreAffaires == "1 000 000€ - 5 000 000€")
            #expect(data.answers.first?.responseLabel == "Transport routier de marchandises")

            // Given it migrated, then it cannot any more
            _ = try await app.signUp(token: token)
            let after = try await app.send(.GET, "/api/session-migration/can-migrate/\(token)").decode(CanMigrateDTO.self)
            #expect(!after.canMigrate)
            #expect(after.reasonCode == "SESSION_ALREADY_MIGRATED")
            #expect(try await app.send(.GET, "/api/session-migration/can-migrate/inconnu-0123456789abcdef").status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.all)
    func expiredOrUnfinishedSessionsAreNotMigrated(_ database: TestDatabase) async throws {
        let clock = ManualClock(testStart)
        try await withTestApp(database, clock: clock) { app in
            let open = try await app.newSession()
            let unfinished = try await app.send(
                .POST, "/api/session-migration/migrate", object: ["session_token": open, "client_data": signupForm()])
            #expect(unfinished.status == .conflict)
            #expect(unfinished.errorCode == "SESSION_NOT_COMPLETED")
            let unknown = try await app.send(
                .POST, "/api/session-migration/migrate",
                object: ["session_token": "inconnu-0123456789abcdef", "client_data": signupForm()])
            #expect(unknown.status == .notFound)
            let token = try await app.completedSession()
            clock.advance(by: 8 * 24 * 3600)
            let expired = try await app.send(
                .POST, "/api/session-migration/migrate", object: ["session_token": token, "client_data": signupForm()])
            #expect(expired.status == .gone)
            #expect(expired.errorCode == "SESSION_EXPIRED")
            let rows = try await app.migrationRows()
            #expect(rows.clients == 0 && rows.products == 0 && rows.simulations == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aFailureAfterTheProductsLeavesNothingBehind(_ database: TestDatabase) async throws {
        struct InjectedFailure: Error {}
        try await withTestApp(database) { app in
            let token = try await app.completedSession()
            app.migrationHooks.afterProductsWritten = { throw InjectedFailure() }
            let response = try await app.send(
                .POST, "/api/session-migration/migrate", object: ["session_token": token, "client_data": signupForm()])
            #expect(response.status == .internalServerError)
            #expect(try !response.failure().success)
            let rows = try await app.migrationRows()
            #expect(rows.clients == 0 && rows.products == 0 && rows.simulations == 0 && rows.audits == 0)
            let session = try #require(try await TemporarySession.query(on: app.db).first())
            #expect(session.status == .completed)
            #expect(session.$client.id == nil)
            // Once the fault is gone, the same request succeeds.
            app.migrationHooks.afterProductsWritten = nil
            let retry = try await app.send(
                .POST, "/api/session-migration/migrate", object: ["session_token": token, "client_data": signupForm()])
            #expect(retry.status == .created)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aMigrationPastItsTimeoutIsRolledBack(_ database: TestDatabase) async throws {
        try await withTestApp(database, settings: { $0.migrationTimeoutMilliseconds = 150 }) { app in
            let token = try await app.completedSession()
            app.migrationHooks.afterProductsWritten = { try await Task.sleep(nanoseconds: 400_000_000) }
            let response = try await app.send(
                .POST, "/api/session-migration/migrate", object: ["session_token": token, "client_data": signupForm()])
            #expect(response.status == .gatewayTimeout)
            #expect(response.errorCode == "MIGRATION_TIMEOUT")
            #expect(CapturedLogs.refusalIsAWarning(504, "MIGRATION_TIMEOUT", on: "POST /api/session-migration/migrate"))
            let rows = try await app.migrationRows()
            #expect(rows.clients == 0 && rows.products == 0 && rows.simulations == 0 && rows.audits == 0)
            #expect(try await TemporarySession.query(on: app.db).first()?.status == .completed)
        }
    }

    /// On PostgreSQL an existing client's migration is one statement, with no application code in
    /// between: the failure (and the slowness) is injected by a trigger on the audit event, the last
    /// row the statement writes, after the products, the simulation and the session.
    @Test(arguments: TestDatabase.all.filter { $0 == .postgres })
    func aFailureOrDelayInsideTheMigrationStatementLeavesNothingBehind(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let (_, access) = try await app.signUp(token: try await app.completedSession())
            // Short only from here: the sign-up above may take longer on a loaded machine.
            app.settings.migrationTimeoutMilliseconds = 2_000
            let token = try await app.completedSession(changing: ["CEE_001": "projet_non_signe", "CEE_002": ["isolation"]])
            let before = try await app.migrationRows()
            func attach() async throws -> JSONResponse {
                try await app.send(.POST, "/api/session-migration/migrate-existing", object: ["session_token": token], bearer: access)
            }
            func expectNothingWritten() async throws {
                #expect(try await app.migrationRows() == before)
                let session = try #require(
                    try await TemporarySession.query(on: app.db).filter(\.$tokenHash == SecretToken.hash(token)).first())
                #expect(session.status == .completed)
                #expect(session.$client.id == nil && session.migrationResult?.outcome == nil)
            }
            try await app.injectBeforeAuditInsert("RAISE EXCEPTION 'panne injectée'; ")
            let failed = try await attach()
            #expect(failed.status == .internalServerError)
            #expect(try !failed.failure().success)
            try await expectNothingWritten()

            try await app.injectBeforeAuditInsert("PERFORM pg_sleep(2.5); RETURN NEW; ")
            let slow = try await attach()
            #expect(slow.status == .gatewayTimeout)
            #expect(slow.errorCode == "MIGRATION_TIMEOUT")
            try await expectNothingWritten()

            try await app.injectBeforeAuditInsert(nil)
            let retry = try await attach()
            #expect(retry.status == .ok)
            #expect(try !retry.decode(SessionMigrationResponseDTO.self).alreadyMigrated)
            let after = try await app.migrationRows()
            #expect(
                after.products == before.products + 1 && after.simulations == before.simulations + 1 && after.audits == before.audits + 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func disabledMigrationAnswers503AndWritesNothing(_ database: TestDatabase) async throws {
        try await withTestApp(database, settings: { $0.migrationEnabled = false }) { app in
            let token = try await app.completedSession()
            let response = try await app.send(
                .POST, "/api/session-migration/migrate", object: ["session_token": token, "client_data": signupForm()])
            #expect(response.status == .serviceUnavailable)
            #expect(response.errorCode == "MIGRATION_DISABLED")
            // A refusal the operator chose is logged as such, not as an internal error.
            #expect(CapturedLogs.refusalIsAWarning(503, "MIGRATION_DISABLED", on: "POST /api/session-migration/migrate"))
            #expect(try await !app.send(.GET, "/api/session-migration/can-migrate/\(token)").decode(CanMigrateDTO.self).canMigrate)
            let rows = try await app.migrationRows()
            #expect(rows.clients == 0 && rows.products == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func parallelMigrationsOfOneSessionWriteExactlyOnce(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let (clientID, access) = try await app.signUp(token: try await app.completedSession())
            let token = try await app.completedSession(changing: ["CEE_001": "projet_non_signe", "CEE_002": ["isolation"]])
            let before = try await app.migrationRows()
            let body = String(decoding: try JSONSerialization.data(withJSONObject: ["session_token": token]), as: UTF8.self)
            let responses = try await withThrowingTaskGroup(of: JSONResponse.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try await app.send(
                            .POST, "/api/session-migration/migrate-existing", json: body, headers: ["Authorization": "Bearer \(access)"])
                    }
                }
                var all: [JSONResponse] = []
                for try await response in group { all.append(response) }
                return all
            }
            #expect(responses.allSatisfy { $0.status == .ok })
            let answers = try responses.map { try $0.decode(SessionMigrationResponseDTO.self) }
            #expect(answers.filter { !$0.alreadyMigrated }.count == 1)
            #expect(Set(answers.map(\.clientID)) == [clientID])
            let after = try await app.migrationRows()
            #expect(after.products == before.products + 1, "CEE created once, nothing duplicated")
            #expect(after.simulations == before.simulations + 1)
            #expect(after.audits == before.audits + 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func parallelSignUpsForOneSessionCreateOneClient(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let token = try await app.completedSession()
            let bodies = try (0..<6).map { index in
                String(
                    decoding: try JSONSerialization.data(withJSONObject: [
                        "session_token": token, "client_data": signupForm(email: "visiteur\(index)@example.fr"),
                    ]), as: UTF8.self)
            }
            let statuses = try await withThrowingTaskGroup(of: (HTTPResponseStatus, String?).self) { group in
                for body in bodies {
                    group.addTask {
                        let response = try await app.send(.POST, "/api/session-migration/migrate", json: body)
                        return (response.status, response.errorCode)
                    }
                }
                var all: [(HTTPResponseStatus, String?)] = []
                for try await status in group { all.append(status) }
                return all
            }
            #expect(statuses.filter { $0.0 == .created }.count == 1)
            #expect(statuses.filter { $0.0 == .conflict && $0.1 == "SESSION_ALREADY_MIGRATED" }.count == 5)
            let rows = try await app.migrationRows()
            #expect(rows.clients == 1 && rows.products == 4 && rows.simulations == 1 && rows.audits == 1)
        }
    }
}

@Suite("Saisies piégées")
struct HostileInputTests {
    @Test(arguments: TestDatabase.all)
    func nulBytesAreRefusedNotCrashing(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let login = try await app.send(.POST, "/api/auth/login", json: #"{"email": "c\u0000d@example.fr", "password": "x\u0000y"}"#)
            #expect(login.status == .unauthorized)
            let token = try await app.completedSession()
            var form = signupForm()
            form["name"] = "Jeanne\u{0}Martin"
            form["password"] = "motdepasse\u{0}2026"
            let signup = try await app.send(.POST, "/api/session-migration/migrate", object: ["session_token": token, "client_data": form])
            #expect(signup.status == .unprocessableEntity)
            let fields = Set(try signup.failure().details?.map(\.field) ?? [])
            #expect(fields == ["client_data.name", "client_data.password"])
            #expect(try await app.migrationRows().clients == 0)
            let abandon = try await app.send(
                .POST, "/api/simulator/sessions/\(try await app.newSession())/abandon",
                json: #"{"reason": "trop\u0000long"}"#)
            #expect(abandon.status == .ok)
            #expect(try await TemporarySession.query(on: app.db).filter(\.$status == .abandoned).first()?.abandonReason == "troplong")
        }
    }
}
