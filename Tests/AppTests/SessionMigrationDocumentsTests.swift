import Eligibility
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor

@testable import App

/// The documents a migration copies are written when the session is completed (`SessionMigrationDocuments`):
/// the migration must record the session as it was last completed, and sessions completed before
/// those documents existed must still migrate the same way.
@Suite("Documents préparés pour la migration")
struct SessionMigrationDocumentsTests {
    /// What the client's account must hold: the session's answers and the results its results page
    /// shows, and each product's metadata taken from that product's result.
    func expectTheAccountRecords(_ token: String, answers: [String: Any], on app: Application) async throws {
        let session = try #require(try await TemporarySession.query(on: app.db).filter(\.$tokenHash == SecretToken.hash(token)).first())
        let rows = try await TemporaryEligibility.query(on: app.db).filter(\.$session.$id == session.id!).all()
        let shown = try await app.simulator.results(token: token, on: app.db).results
        let simulation = try #require(try await Simulation.query(on: app.db).filter(\.$session.$id == session.id!).first())
        #expect(
            simulation.results.map(ProductResultDTO.init).sorted { $0.productCode < $1.productCode }
                == shown.sorted { $0.productCode < $1.productCode })
        #expect(simulation.answers.map(\.questionID).sorted() == answers.keys.sorted())
        #expect(
            simulation.answers.map(\.questionID)
                == simulation.answers.sorted {
                    (app.catalog.question(id: $0.questionID)?.order ?? 0) < (app.catalog.question(id: $1.questionID)?.order ?? 0)
                }.map(\.questionID), "in questionnaire order")
        #expect(
            simulation.answers.first { $0.questionID == "FONCIER_001" }?.responseValue
                == .number((answers["FONCIER_001"] as! NSNumber).doubleValue))
        #expect(simulation.answers.first { $0.questionID == "TICPE_001" }?.questionType == "yes_no")

        let products = try await ClientProduitEligible.query(on: app.db).with(\.$product).filter(\.$simulation.$id == simulation.id).all()
        #expect(
            products.map(\.product.code).sorted()
                == rows.filter { SessionMigrationDocuments.isAttached($0.status) }.map(\.productCode).sorted())
        for product in products {
            let result = try #require(rows.first { $0.productCode == product.product.code })
            #expect(product.montantFinal == result.estimatedSavings)
            #expect(product.metadata.estimatedSavings == result.estimatedSavings)
            #expect(product.metadata.eligibilityScore == result.score)
            #expect(product.metadata.calculationDetails == result.calculationDetails)
            #expect(product.metadata.recommendations == result.recommendations)
            #expect(product.metadata.originalSessionID == session.id)
            #expect(product.metadata.migratedFromSimulator)
            #expect(product.metadata.rulesetVersion == result.rulesetVersion)
        }
    }

    /// Completed, reopened by a changed answer, completed again: the second completion is migrated.
    @Test(arguments: TestDatabase.all)
    func theMigrationRecordsTheLastCompletion(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let token = try await app.completedSession()
            let put = try await app.send(.PUT, "/api/simulator/sessions/\(token)/answers", object: ["answers": ["FONCIER_001": 5000]])
            #expect(put.status == .ok)
            #expect(try put.decode(SessionStateDTO.self).status == .inProgress)
            #expect(try await app.send(.POST, "/api/simulator/sessions/\(token)/complete").status == .ok)

            _ = try await app.signUp(token: token)
            let foncier = try #require(
                try await ClientProduitEligible.query(on: app.db).with(\.$product).all().first { $0.product.code == "FONCIER" })
            #expect(foncier.montantFinal == 420, "the property-tax saving of the second completion")
            #expect(foncier.metadata.estimatedSavings == 420)
            try await expectTheAccountRecords(token, answers: haulierAnswers.merging(["FONCIER_001": 5000]) { $1 }, on: app)
        }
    }

    /// A session completed before its documents existed cannot be migrated half-way: it is refused
    /// with nothing written, and migrates in full once `AddMigrationDocuments` has written them, chunk
    /// after chunk.
    @Test(arguments: TestDatabase.all)
    func sessionsCompletedWithoutDocumentsAreRefusedThenBackfilled(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let token = try await app.completedSession()
            let other = try await app.completedSession(changing: ["FONCIER_001": 5000])
            let third = try await app.completedSession(changing: ["DFS_001": 25])
            let sql = app.db as! any SQLDatabase
            func sessionID(_ token: String) async throws -> UUID {
                try #require(try await TemporarySession.query(on: app.db).filter(\.$tokenHash == SecretToken.hash(token)).first()?.id)
            }
            // Each session misses one kind of document: products' metadata, answers, results.
            try await sql.update(TemporaryEligibility.schema).set(SessionMigrationDocuments.metadataColumn, to: SQLLiteral.null)
                .where("session_id", .equal, SQLBind(try await sessionID(token))).run()
            try await sql.update(TemporarySession.schema).set(SessionMigrationDocuments.answersColumn, to: SQLLiteral.null)
                .where("id", .equal, SQLBind(try await sessionID(other))).run()
            try await sql.update(TemporarySession.schema).set(SessionMigrationDocuments.resultsColumn, to: SQLLiteral.null)
                .where("id", .equal, SQLBind(try await sessionID(third))).run()

            let accounts = [(token, "jeanne.martin@example.fr"), (other, "paul.durand@example.fr"), (third, "lea.petit@example.fr")]
            for (session, email) in accounts {
                let refused = try await app.send(
                    .POST, "/api/session-migration/migrate",
                    object: ["session_token": session, "client_data": signupForm(email: email)])
                #expect(refused.status == .conflict)
                #expect(refused.errorCode == "NO_RESULTS")
            }
            let written = try await app.migrationRows()
            #expect(written.clients == 0 && written.products == 0 && written.simulations == 0 && written.audits == 0)
            #expect(try await TemporarySession.query(on: app.db).filter(\.$status == .completed).count() == 3)

            // Two sessions per chunk: the three sessions take two chunks.
            try await AddSessionMigrationDocuments(catalog: app.catalog, backend: app.backend).backfill(on: app.db, chunkSize: 2)
            let answers = [
                haulierAnswers, haulierAnswers.merging(["FONCIER_001": 5000]) { $1 }, haulierAnswers.merging(["DFS_001": 25]) { $1 },
            ]
            for ((session, email), given) in zip(accounts, answers) {
                _ = try await app.signUp(token: session, email: email)
                try await expectTheAccountRecords(session, answers: given, on: app)
            }
        }
    }
}

/// The stored documents have their own types, which read what earlier versions wrote.
@Suite("Documents enregistrés : types de stockage")
struct StoredDocumentTests {
    @Test(arguments: TestDatabase.all)
    func aSimulationResultWrittenBeforeTheNewerFieldsIsStillRead(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            // Given a client's simulation whose results were stored before `missing_inputs`,
            // `savings_estimated` and `product_name` existed
            let (clientID, _) = try await app.signUp(token: try await app.completedSession(), email: "client@email.com")
            let simulation = try #require(try await Simulation.query(on: app.db).filter(\.$client.$id == clientID).first())
            let current = try JSONSerialization.jsonObject(with: JSONEncoder().encode(simulation.results)) as! [[String: Any]]
            let earlier = current.map { $0.filter { !["missing_inputs", "savings_estimated", "product_name"].contains($0.key) } }
            let text = String(decoding: try JSONSerialization.data(withJSONObject: earlier), as: UTF8.self)
            try await app.db.sql.update(Simulation.schema)
                .set(
                    "results",
                    to: SQLBind(
                        app.backend.bind(
                            try earlier.map {
                                try JSONDocument(text: String(decoding: JSONSerialization.data(withJSONObject: $0), as: UTF8.self))
                            }))
                )
                .where("id", .equal, SQLBind(simulation.id)).run()
            #expect(!text.contains("missing_inputs"))

            // When the client lists their simulations
            let token = try await app.login("client@email.com", "motdepasse2026")
            let listed = try await app.get("/api/client/simulations", bearer: token)

            // Then they are read, the absent lists empty and each name its code
            #expect(listed.status == .ok, "\(listed.body)")
            let stored = try #require(try await Simulation.find(simulation.id, on: app.db)).results
            #expect(stored.count == simulation.results.count)
            #expect(stored.allSatisfy { $0.missingInputs.isEmpty && $0.productName == $0.productCode })
            #expect(stored.map(\.estimatedSavings) == simulation.results.map(\.estimatedSavings))
            #expect(stored.map(\.calculationDetails) == simulation.results.map(\.calculationDetails))
        }
    }
}

/// The plans a migration copies (`ProductPlan`) are written at completion; results an earlier build
/// completed without them are refused, never attached half-decided, until the schema change fills them.
@Suite("Plans des produits décidés à la complétion")
struct ProductPlanTests {
    @Test(arguments: TestDatabase.all)
    func resultsCompletedWithoutPlansAreRefusedThenBackfilled(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            // Given a completed session whose results have no plan, as a build before plans wrote them
            let token = try await app.completedSession()
            let update = app.db.sql.update(TemporaryEligibility.schema)
            for (column, null) in zip(ProductPlan.columns, ProductPlan.bound(nil)) { update.set(column, to: SQLBind(null)) }
            try await update.run()

            // When the visitor signs up, then the migration is refused and writes nothing
            let refused = try await app.send(
                .POST, "/api/session-migration/migrate",
                object: ["session_token": token, "client_data": signupForm(email: "client@email.com")])
            #expect(refused.errorCode == "NO_RESULTS", "\(refused.body)")
            let written = try await app.migrationRows()
            #expect(written.clients == 0 && written.products == 0 && written.simulations == 0)

            // When the schema change fills the plans, then the same sign-up attaches each product with its plan
            try await AddSessionMigrationPlan().backfill(on: app.db, chunkSize: 1)
            let (clientID, _) = try await app.signUp(token: token, email: "client@email.com")
            let products = try await ClientProduitEligible.query(on: app.db).filter(\.$client.$id == clientID).with(\.$product).all()
            #expect(products.count == 4)
            for product in products {
                let score = try #require(product.metadata.eligibilityScore)
                #expect(product.notes == "Migration depuis le simulateur - Score : \(score) %")
                #expect(product.priorite == (score >= 70 ? 1 : 2))
                #expect(product.tauxFinal == Double(score) / 100)
                #expect(product.dureeFinale == 12)
            }
        }
    }
}
