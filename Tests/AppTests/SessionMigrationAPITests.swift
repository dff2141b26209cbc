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
            let token = try await app.completedSession()
            let response = try await app.send(
                .POST, "/api/session-migration/migrate",
                object: ["session_token": token, "client_data": signupForm()])
            #expect(response.status == .created)
            #expect(response["success"] as? Bool == true)
            #expect(response["client_email"] as? String == "jeanne.martin@example.fr")
            #expect(response["migrated_products_count"] as? Int == 4)
            #expect(response["session_token"] as? String == token)
            #expect(response["already_migrated"] as? Bool == false)
            let outcomes = try #require(response["products"] as? [[String: Any]])
            let byCode = Dictionary(uniqueKeysWithValues: outcomes.map { ($0["product_code"] as! String, $0["outcome"] as! String) })
            #expect(
                byCode == [
                    "CEE": "not_eligible", "CIR": "not_eligible", "DFS": "created", "FONCIER": "created",
                    "MSA": "not_eligible", "TICPE": "created", "URSSAF": "created",
                ])
            let access = try #require(response["access_token"] as? String)

            let me = try await app.get("/api/client/me", bearer: access)
            #expect(me.status == .ok)
            #expect(me["company_name"] as? String == "Transports Martin")
            #expect(me["secteurActivite"] as? String == "Transport routier de marchandises")
            #expect(me["trancheEffectif"] as? String == "21 à 50")
            #expect(me["siren"] as? String == "443061841")
            #expect(me["password"] == nil)

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

            let products = try await app.get("/api/client/products", bearer: access)
            #expect((products["products"] as? [[String: Any]])?.count == 4)
            #expect(products["total_montant_final"] as? Double == 8788.0)
            let simulations = try await app.get("/api/client/simulations", bearer: access)
            #expect((simulations["simulations"] as? [[String: Any]])?.count == 1)
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
            let fields = Set(try #require(response["details"] as? [[String: Any]]).compactMap { $0["field"] as? String })
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
            #expect((response["error"] as? String)?.contains("connectez-vous") == true)
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
            #expect(retry["already_migrated"] as? Bool == true)
            #expect(retry["client_id"] as? String == clientID.uuidString)
            #expect(retry["migrated_products_count"] as? Int == 4)
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
            #expect(session["status"] as? String == "migrated")
            #expect(try await app.send(.GET, "/api/session-migration/can-migrate/\(token)")["can_migrate"] as? Bool == false)
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
            #expect(response["client_id"] as? String == clientID.uuidString)
            let outcomes = try #require(response["products"] as? [[String: Any]])
            let byCode = Dictionary(uniqueKeysWithValues: outcomes.map { ($0["product_code"] as! String, $0["outcome"] as! String) })
            #expect(byCode["TICPE"] == "kept")
            #expect(byCode["FONCIER"] == "updated")
            #expect(byCode["CEE"] == "created")
            #expect(response["migrated_products_count"] as? Int == 4, "FONCIER, URSSAF, DFS updated; CEE created")

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
            #expect(done["client_id"] as? String == clientID.uuidString)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$actorType == "operator").count() == 1)

            let stats = try await app.get("/api/session-migration/stats", bearer: access)
            #expect(stats.status == .ok)
            #expect(stats["total_sessions"] as? Int == 3)
            #expect(stats["completed_sessions"] as? Int == 2)
            #expect(stats["migrated_sessions"] as? Int == 2)
            #expect(stats["conversion_rate"] as? Double == 100.0)
            let byProduct = try #require(stats["by_product"] as? [[String: Any]])
            let ticpe = try #require(byProduct.first { $0["product_code"] as? String == "TICPE" })
            #expect(ticpe["eligible_sessions"] as? Int == 2)
            let byDay = try #require(stats["by_day"] as? [[String: Any]])
            #expect(byDay.first?["date"] as? String == "2026-03-02")
            #expect(byDay.first?["total_sessions"] as? Int == 3)
        }
    }

    @Test(arguments: TestDatabase.all)
    func canMigrateAndSessionDataTellTheVisitorWhereHeStands(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let open = try await app.newSession()
            let early = try await app.send(.GET, "/api/session-migration/can-migrate/\(open)")
            #expect(early.status == .ok)
            #expect(early["can_migrate"] as? Bool == false)
            #expect(early["reason_code"] as? String == "SESSION_NOT_COMPLETED")
            #expect(try await app.send(.GET, "/api/session-migration/session-data/\(open)").status == .conflict)

            let token = try await app.completedSession()
            let ready = try await app.send(.GET, "/api/session-migration/can-migrate/\(token)")
            #expect(ready["can_migrate"] as? Bool == true)
            let data = try await app.send(.GET, "/api/session-migration/session-data/\(token)")
            #expect(data.status == .ok)
            #expect(data["total_potential_savings"] as? Double == 8788.0)
            #expect(data["high_eligibility_count"] as? Int == 4)
            let extracted = try #require(data["extracted_client_data"] as? [String: Any])
            #expect(extracted["secteur_activite"] as? String == "Transport routier de marchandises")
            #expect(extracted["tranche_chiffre_affaires"] as? String == "1 000 000€ - 5 000 000€")
            let answers = try #require(data["answers"] as? [[String: Any]])
            #expect(answers.first?["response_label"] as? String == "Transport routier de marchandises")

            _ = try await app.signUp(token: token)
            let after = try await app.send(.GET, "/api/session-migration/can-migrate/\(token)")
            #expect(after["can_migrate"] as? Bool == false)
            #expect(after["reason_code"] as? String == "SESSION_ALREADY_MIGRATED")
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
            #expect(response["success"] as? Bool == false)
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
            #expect(failed["success"] as? Bool == false)
            try await expectNothingWritten()

            try await app.injectBeforeAuditInsert("PERFORM pg_sleep(2.5); RETURN NEW; ")
            let slow = try await attach()
            #expect(slow.status == .gatewayTimeout)
            #expect(slow.errorCode == "MIGRATION_TIMEOUT")
            try await expectNothingWritten()

            try await app.injectBeforeAuditInsert(nil)
            let retry = try await attach()
            #expect(retry.status == .ok)
            #expect(retry["already_migrated"] as? Bool == false)
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
            #expect(try await app.send(.GET, "/api/session-migration/can-migrate/\(token)")["can_migrate"] as? Bool == false)
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
            #expect(responses.filter { $0["already_migrated"] as? Bool == false }.count == 1)
            #expect(Set(responses.compactMap { $0["client_id"] as? String }) == [clientID.uuidString])
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
            let fields = Set((signup["details"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String })
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
