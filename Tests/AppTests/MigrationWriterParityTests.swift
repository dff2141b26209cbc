import Fluent
import Foundation
import SQLKit
import Testing
import Vapor

@testable import App

/// The session migration's writers, scenario by scenario: the Swift writer on SQLite and on
/// PostgreSQL, `passerelle_migrate_session` through the application, and the user's SQL function.
/// Every writer a scenario applies to leaves the same rows and answers the same, word for word.
@Suite("Parité des écrivains de la migration : scénarios × écrivains")
struct MigrationWriterParityTests {
    enum Writer: String, CaseIterable, CustomTestStringConvertible {
        case swiftOnSQLite, swiftOnPostgres, postgresFunction, userSQLFunction

        var database: TestDatabase { self == .swiftOnSQLite ? .sqlite : .postgres }
        var testDescription: String { rawValue }
        /// Every writer when the test command gives a PostgreSQL server; SQLite's alone otherwise.
        static var available: [Writer] { TestDatabase.all.contains(.postgres) ? allCases : [.swiftOnSQLite] }
    }

    enum Scenario: String, CaseIterable, CustomTestStringConvertible {
        case newClient, existingClient, keptAndUpdated, retry
        case unknownSession, abandoned, notCompleted, expired, otherClientsSession, unknownClient

        var testDescription: String { rawValue }

        /// The user's function attaches to an existing client only.
        func applies(to writer: Writer) -> Bool { self != .newClient || writer != .userSQLFunction }

        /// What every writer must answer here, so that agreeing on a wrong answer still fails.
        func expects(_ reply: Reply) -> Bool {
            switch (self, reply) {
            case (.newClient, .migrated(let count, let again, let products)):
                return count == 4 && !again && products.filter { $0.outcome == "created" }.count == 4
            case (.existingClient, .migrated(let count, let again, let products)):
                return count == 5 && !again && products.allSatisfy { $0.outcome != "kept" }
            case (.keptAndUpdated, .migrated(let count, let again, let products)):
                return count == 4 && !again && products.first { $0.productCode == "TICPE" }?.outcome == "kept"
                    && products.first { $0.productCode == "TICPE" }?.reason == ProductOutcome.keptReason
            case (.retry, .migrated(let count, let again, _)): return count == 5 && again
            case (.unknownSession, .refused(let code, _)): return code == "SESSION_NOT_FOUND"
            case (.abandoned, .refused(let code, _)): return code == "SESSION_ABANDONED"
            case (.notCompleted, .refused(let code, _)): return code == "SESSION_NOT_COMPLETED"
            case (.expired, .refused(let code, _)): return code == "SESSION_EXPIRED"
            case (.otherClientsSession, .refused(let code, _)): return code == "SESSION_ALREADY_MIGRATED"
            case (.unknownClient, .refused(let code, _)): return code == "CLIENT_NOT_FOUND"
            default: return false
            }
        }
    }

    enum Reply: Equatable {
        case migrated(count: Int, again: Bool, products: [ProductOutcome])
        case refused(code: String, message: String)
    }

    /// What a scenario leaves in the database, without ids, dates or who asked.
    struct Rows: Equatable {
        struct Product: Equatable {
            let client, code, statut, notes: String
            let taux, montant: Double
            let duree, priorite, step: Int
            let metadata: ProductMetadata
        }
        let clients: [String]
        let products: [Product]
        let simulations: [String]
        let sessions: [String]
        let outcomes: [String]
        let audits: [String]
    }

    @Test(arguments: Scenario.allCases)
    func everyWriterLeavesTheSameRowsAndSaysTheSame(_ scenario: Scenario) async throws {
        // Given the scenario, when each writer migrates it
        var seen: [(Writer, Reply, Rows)] = []
        for writer in Writer.available where scenario.applies(to: writer) {
            let (reply, rows) = try await migrate(scenario, with: writer)
            seen.append((writer, reply, rows))
        }

        // Then the answer is the scenario's, and every writer's answer and rows are the first's
        let (_, reply, rows) = try #require(seen.first)
        #expect(scenario.expects(reply), "\(reply)")
        for (writer, otherReply, otherRows) in seen.dropFirst() {
            #expect(otherReply == reply, "\(writer)")
            #expect(otherRows == rows, "\(writer)")
        }
    }

    private func migrate(_ scenario: Scenario, with writer: Writer) async throws -> (Reply, Rows) {
        var result: (Reply, Rows)?
        // The clock is now: the user's function reads PostgreSQL's `now()` to check expiry.
        try await withTestApp(writer.database, clock: ManualClock(Date())) { app in
            if writer == .swiftOnPostgres { app.sessionMigrationWriter = InProcessMigrationWriter() }
            let (token, email) = try await prepare(scenario, on: app)
            if scenario == .retry { _ = try await attach(token, to: email, with: writer, on: app) }
            let reply =
                scenario == .newClient
                ? try await signUp(token, email: email, on: app)
                : try await attach(token, to: email, with: writer, on: app)
            result = (reply, try await rows(app))
        }
        return try #require(result)
    }

    /// The session to migrate and the client's e-mail.
    private func prepare(_ scenario: Scenario, on app: Application) async throws -> (token: String, email: String) {
        let email = "client@email.com"
        if scenario == .newClient { return (try await app.completedSession(), "nouveau@email.com") }
        _ = try await app.signUp(token: try await app.completedSession(), email: email)
        let changes: [String: Any] = ["FONCIER_001": 5000, "CEE_001": "projet_non_signe", "CEE_002": ["isolation"], "CEE_003": 1_000_000]
        switch scenario {
        case .newClient, .existingClient, .retry:
            return (try await app.completedSession(changing: changes), email)
        case .keptAndUpdated:
            let ticpe = try #require(
                try await ClientProduitEligible.query(on: app.db)
                    .join(ProduitEligible.self, on: \ClientProduitEligible.$product.$id == \ProduitEligible.$id)
                    .filter(ProduitEligible.self, \.$code == "TICPE").first())
            ticpe.expertID = UUID()
            try await ticpe.save(on: app.db)
            return (try await app.completedSession(changing: changes), email)
        case .unknownSession:
            return (SecretToken.generate(), email)
        case .abandoned:
            let token = try await app.completedSession()
            #expect(try await app.send(.POST, "/api/simulator/sessions/\(token)/abandon", object: [:]).status == .ok)
            return (token, email)
        case .notCompleted:
            let token = try await app.newSession()
            #expect(try await app.send(.PUT, "/api/simulator/sessions/\(token)/answers", object: ["answers": haulierAnswers]).status == .ok)
            return (token, email)
        case .expired:
            let token = try await app.completedSession()
            try await app.db.sql.update(TemporarySession.schema).set("expires_at", to: SQLBind(Date().addingTimeInterval(-3600)))
                .where("session_token_hash", .equal, SQLBind(SecretToken.hash(token))).run()
            return (token, email)
        case .otherClientsSession:
            let token = try await app.completedSession()
            _ = try await app.signUp(token: try await app.completedSession(), email: "autre@email.com")
            _ = try await attach(token, to: "autre@email.com", with: .swiftOnSQLite, on: app)
            return (token, email)
        case .unknownClient:
            return (try await app.completedSession(), "personne@email.com")
        }
    }

    private func signUp(_ token: String, email: String, on app: Application) async throws -> Reply {
        let form = try JSONDecoder().decode(ClientSignupInput.self, from: JSONSerialization.data(withJSONObject: signupForm(email: email)))
        return try await reply {
            let done = try await app.sessionMigration.migrate(
                token: token, to: .newClient(try ClientSignup.validate(form).get()),
                actor: .signup, on: app.db)
            return .migrated(count: done.outcome.migratedProductsCount, again: done.alreadyMigrated, products: done.outcome.products)
        }
    }

    /// Attaches the session to the client through `writer`; the Swift writers find the client as the
    /// API and the command line do.
    private func attach(_ token: String, to email: String, with writer: Writer, on app: Application) async throws -> Reply {
        guard writer == .userSQLFunction else {
            return try await reply {
                guard let client = try await app.accounts.findClient(email: email, on: app.db) else { throw AppError.clientNotFound }
                let done = try await app.sessionMigration.migrate(
                    token: token, to: .existingClient(client), actor: .commandLine, on: app.db)
                return .migrated(count: done.outcome.migratedProductsCount, again: done.alreadyMigrated, products: done.outcome.products)
            }
        }
        let row = try #require(
            try await app.db.sql
                .raw("SELECT migrate_simulator_to_existing_client(\(bind: token), \(bind: email))::text AS reply").first())
        let answer = try JSONDecoder().decode(FunctionReply.self, from: Data(try row.decode(column: "reply", as: String.self).utf8))
        guard answer.success else { return .refused(code: answer.error_code ?? "", message: answer.error ?? "") }
        return .migrated(
            count: answer.migrated_products_count ?? -1, again: answer.already_migrated ?? false, products: answer.products ?? [])
    }

    private func reply(_ body: () async throws -> Reply) async throws -> Reply {
        do {
            return try await body()
        } catch let error as AppError {
            return .refused(code: error.code, message: error.message)
        }
    }

    /// The user's function's JSON answer.
    private struct FunctionReply: Decodable {
        let success: Bool
        let error: String?
        let error_code: String?
        let migrated_products_count: Int?
        let already_migrated: Bool?
        let products: [ProductOutcome]?
    }

    private func rows(_ app: Application) async throws -> Rows {
        let clients = try await Client.query(on: app.db).filter(\.$role == .client).all()
        let emails = Dictionary(uniqueKeysWithValues: clients.map { ($0.id!, $0.email) })
        let products = try await ClientProduitEligible.query(on: app.db).with(\.$product).all().map { row in
            var metadata = row.metadata
            metadata.originalSessionID = nil
            return Rows.Product(
                client: emails[row.$client.id] ?? "", code: row.product.code, statut: row.statut, notes: row.notes ?? "",
                taux: row.tauxFinal, montant: row.montantFinal, duree: row.dureeFinale, priorite: row.priorite,
                step: row.currentStep, metadata: metadata)
        }
        let simulations = try await Simulation.query(on: app.db).all()
        let sessions = try await TemporarySession.query(on: app.db).all()
        let audits = try await AuditEvent.query(on: app.db).all()
        return Rows(
            clients: clients.map(\.email).sorted(),
            products: products.sorted { ($0.client, $0.code) < ($1.client, $1.code) },
            simulations: try simulations.map { try canonical(SimulationDocuments(answers: $0.answers, results: $0.results)) }.sorted(),
            sessions: sessions.map(\.status.rawValue).sorted(),
            outcomes: try sessions.compactMap { $0.migrationResult?.outcome?.products }.map(canonical).sorted(),
            audits: try audits.map { try canonical($0.details) }.sorted())
    }
}

private struct SimulationDocuments: Encodable {
    let answers: [SimulationAnswer]
    let results: [StoredProductResult]
}

/// One JSON text per value, keys sorted: rows in a canonical order whatever order the database gives.
private func canonical(_ value: some Encodable) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}
