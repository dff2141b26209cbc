import Eligibility
import Fluent
import Foundation
import SQLKit
import NIOConcurrencyHelpers
import Vapor

/// Turns a completed simulator session into a client's products, in one transaction, exactly once.
/// Used by the API, the command line and the tests alike; takes a `Database`, never a `Request`.
struct MigrationService: Sendable {
    let catalog: Catalog
    let clock: any AppClock
    let settings: AppSettings
    let accounts: AccountService
    let hooks: MigrationHooks
    let writer: DatabaseWriter
    let productIDCache: NIOLockedValueBox<[String: UUID]?>

    enum Target: Sendable {
        case existingClient(Client)
        case newClient(ClientSignup)
    }

    struct Completed: Sendable {
        let outcome: MigrationOutcome
        /// True when this call found the migration already done and wrote nothing.
        let alreadyMigrated: Bool
        let client: Client
    }

    /// What the transaction found: its own migration, or an earlier one it must not repeat.
    private enum Attempt: Sendable {
        case migrated(MigrationOutcome, Client)
        case earlier(clientID: UUID?, outcome: MigrationOutcome?)
    }

    func migrate(token: String, to target: Target, actor: MigrationActor, on database: any Database) async throws -> Completed {
        guard settings.migrationEnabled else {
            throw AppError(status: .serviceUnavailable, code: "MIGRATION_DISABLED", message: "Le rattachement des simulations est désactivé pour le moment.")
        }
        let hash = SecretToken.hash(token)
        // bcrypt is slow: hash before taking any lock.
        let passwordHash: String?
        if case .newClient(let signup) = target { passwordHash = try accounts.hashPassword(signup.password) } else { passwordHash = nil }
        let started = DispatchTime.now().uptimeNanoseconds
        let attempt: Attempt
        do {
            attempt = try await writer.transaction(on: database) { transaction in
                try await run(hash: hash, target: target, passwordHash: passwordHash, actor: actor, started: started, on: transaction)
            }
        } catch let error as AppError {
            throw error
        } catch {
            throw translate(error)
        }
        switch attempt {
        case .migrated(let outcome, let client):
            return Completed(outcome: outcome, alreadyMigrated: false, client: client)
        case .earlier(let clientID, let outcome):
            guard let outcome, let clientID, let client = try await Client.find(clientID, on: database) else {
                throw AppError.sessionAlreadyMigrated
            }
            switch target {
            case .existingClient(let wanted) where wanted.id == clientID:
                return Completed(outcome: outcome, alreadyMigrated: true, client: client)
            case .newClient(let signup) where signup.email == client.email
                && (try? Bcrypt.verify(signup.password, created: client.passwordHash)) == true:
                // The same sign-up sent again (lost answer, double click): answer it again.
                return Completed(outcome: outcome, alreadyMigrated: true, client: client)
            default:
                throw AppError.sessionAlreadyMigrated
            }
        }
    }

    private func run(hash: String, target: Target, passwordHash: String?, actor: MigrationActor,
                     started: UInt64, on database: any Database) async throws -> Attempt {
        let sql = database as! any SQLDatabase
        if sql.dialect.name == "postgresql" {
            try await sql.raw("SET LOCAL statement_timeout = \(unsafeRaw: String(settings.migrationTimeoutMilliseconds))").run()
        }
        let now = clock.now()
        if case .existingClient(let client) = target {
            // Migrations into one client run one after the other, so its products are never written twice.
            try await sql.update(Client.schema).set("updated_at", to: SQLBind(now)).where("id", .equal, SQLBind(client.id!)).run()
        }

        // Claim the session: only one transaction can move it from completed to migrated.
        let claimed = try await sql.update(TemporarySession.schema)
            .set("status", to: SQLBind(SessionStatus.migrated.rawValue))
            .set("migrated_at", to: SQLBind(now))
            .set("updated_at", to: SQLBind(now))
            .where("session_token_hash", .equal, SQLBind(hash))
            .where("status", .equal, SQLBind(SessionStatus.completed.rawValue))
            .where("expires_at", .greaterThan, SQLBind(now))
            .returning("id", "ruleset_version", "completed_at")
            .all(decoding: ClaimedSession.self)
        guard let session = claimed.first else {
            return try await refusal(hash: hash, on: database)
        }

        // Read once: the Simulation row and a new client's profile both come from them.
        // Plain SQL decoded with Codable throughout: Fluent's reflection-based models cost more than the queries here.
        let answers = try await sql.select().columns("question_id", "response_value").from(TemporaryResponse.schema)
            .where("session_id", .equal, SQLBind(session.id)).all(decoding: AnswerRow.self)

        let client: Client
        switch target {
        case .existingClient(let existing):
            client = existing
        case .newClient(let signup):
            client = try await createClient(signup, passwordHash: passwordHash!, session: session, answers: answers, now: now, on: database)
        }
        let clientID = client.id!

        // The calculation details are read as JSON text and copied as is, never decoded.
        let details: any SQLExpression = sql.dialect.name == "postgresql"
            ? SQLRaw(#""calculation_details"::text AS "calculation_details""#) : SQLColumn("calculation_details")
        let results = try await sql.select()
            .columns("produit_id", "eligibility_score", "status", "estimated_savings", "savings_estimated", "confidence_level",
                     "recommendations", "risk_factors", "missing_inputs", "ruleset_version")
            .column(details)
            .from(TemporaryEligibility.schema)
            .where("session_id", .equal, SQLBind(session.id)).orderBy("produit_id").all(decoding: ResultRow.self)
        guard !results.isEmpty else {
            throw AppError(status: .conflict, code: "NO_RESULTS", message: "Cette simulation n'a aucun résultat à rattacher.")
        }

        let simulationID = UUID()
        try await sql.insert(into: Simulation.schema)
            .columns("id", "clientId", "session_id", "answers", "results", "source", "ruleset_version", "created_at")
            .values(SQLBind(simulationID), SQLBind(clientID), SQLBind(session.id),
                    SQLBind(try simulationAnswers(answers).map(JSONDocument.init(encoding:)).bound(for: sql.dialect)),
                    SQLBind(try results.map { try $0.document(productName: catalog.product(code: $0.produit_id)?.name ?? $0.produit_id) }
                        .bound(for: sql.dialect)),
                    SQLBind("simulator_migration"), SQLBind(session.ruleset_version ?? ""), SQLBind(now))
            .run()

        let productIDs = try await productIDsByCode(on: database)
        let owned = try await sql.select().columns("id", "produitId", "current_step", "expert_id", "charte_signed")
            .from(ClientProduitEligible.schema).where("clientId", .equal, SQLBind(clientID)).all(decoding: OwnedProductRow.self)
        let ownedByProduct = Dictionary(owned.map { ($0.produitId, $0) }, uniquingKeysWith: { first, _ in first })
        var outcomes: [ProductOutcome] = []
        var created: [[any SQLExpression]] = []
        for result in results {
            let productID = productIDs[result.produit_id]
            outcomes.append(try await writeProduct(result, productID: productID, existing: productID.flatMap { ownedByProduct[$0] },
                                                   clientID: clientID, sessionID: session.id, simulationID: simulationID,
                                                   now: now, newRows: &created, on: sql))
        }
        if !created.isEmpty {
            // New products in one statement.
            let insert = sql.insert(into: ClientProduitEligible.schema).columns(Self.productColumns)
            for row in created { insert.values(row) }
            try await insert.run()
        }
        try await hooks.afterProductsWritten?()

        let outcome = MigrationOutcome(
            clientID: clientID, clientEmail: client.email,
            migratedProductsCount: outcomes.filter { $0.outcome == "created" || $0.outcome == "updated" }.count,
            products: outcomes, simulationID: simulationID, migratedAt: now.iso8601Seconds)
        try await sql.update(TemporarySession.schema)
            .set("client_id", to: SQLBind(clientID))
            .set("migration_result", to: SQLBind(try JSONDocument(encoding: outcome)))
            .where("id", .equal, SQLBind(session.id))
            .run()

        try await sql.insert(into: AuditEvent.schema)
            .columns("id", "event_type", "actor_type", "actor_id", "session_id", "client_id", "result", "details", "created_at")
            .values(SQLBind(UUID()), SQLBind("session_migrated"), SQLBind(actor.type), SQLBind(actor.id), SQLBind(session.id),
                    SQLBind(clientID), SQLBind("success"),
                    SQLBind(try JSONDocument(encoding: MigrationAuditDetails(migratedProductsCount: outcome.migratedProductsCount, products: outcomes))),
                    SQLBind(now))
            .run()

        let elapsed = (DispatchTime.now().uptimeNanoseconds - started) / 1_000_000
        if elapsed > UInt64(settings.migrationTimeoutMilliseconds) { throw AppError.migrationTimeout }
        return .migrated(outcome, client)
    }

    /// Why the session could not be claimed; an earlier migration is reported, not an error.
    private func refusal(hash: String, on database: any Database) async throws -> Attempt {
        guard let session = try await TemporarySession.query(on: database).filter(\.$tokenHash == hash).first() else {
            throw AppError.sessionNotFound
        }
        switch session.status {
        case .migrated: return .earlier(clientID: session.$client.id, outcome: session.migrationResult)
        case .abandoned: throw AppError.sessionAbandoned
        case .inProgress: throw AppError.sessionNotCompleted
        case .completed: throw AppError.sessionExpired
        }
    }

    private func createClient(_ signup: ClientSignup, passwordHash: String, session: ClaimedSession, answers: [AnswerRow],
                              now: Date, on database: any Database) async throws -> Client {
        if try await accounts.findClient(email: signup.email, on: database) != nil { throw AppError.emailAlreadyRegistered }
        func label(_ questionID: String) -> String? {
            guard case .text(let option)? = answers.first(where: { $0.question_id == questionID })?.response_value.value,
                  let question = catalog.question(id: questionID) else { return nil }
            return question.options.first { $0.id == option }?.label
        }
        let client = Client()
        client.email = signup.email
        client.passwordHash = passwordHash
        client.role = .client
        client.name = signup.name
        client.companyName = signup.companyName
        client.phoneNumber = signup.phoneNumber
        client.siren = signup.siren
        client.address = signup.address
        client.city = signup.city
        client.postalCode = signup.postalCode
        client.type = "client"
        client.statut = "actif"
        // Only what the visitor said: bands stay bands; headcount and revenue figures stay empty.
        client.sector = label("GENERAL_001")
        client.headcountBand = label("GENERAL_003")
        client.turnoverBand = label("GENERAL_002")
        client.simulationDate = session.completed_at
        client.metadata = ClientMetadata(source: "simulator_migration", sessionID: session.id, migrationDate: now.iso8601Seconds, estimatedFields: [])
        client.createdAt = now
        client.updatedAt = now
        try await client.create(on: database)
        return client
    }

    private func writeProduct(_ result: ResultRow, productID: UUID?, existing: OwnedProductRow?, clientID: UUID, sessionID: UUID,
                              simulationID: UUID, now: Date, newRows: inout [[any SQLExpression]],
                              on sql: any SQLDatabase) async throws -> ProductOutcome {
        guard result.status == EligibilityStatus.eligible.rawValue || result.status == EligibilityStatus.potentiallyEligible.rawValue else {
            return ProductOutcome(productCode: result.produit_id, outcome: "not_eligible", reason: ProductOutcome.notEligibleReason, status: result.status)
        }
        guard let productID else {
            return ProductOutcome(productCode: result.produit_id, outcome: "kept", reason: "Produit absent du catalogue : non rattaché.", status: result.status)
        }
        let metadata = ProductMetadata(
            migratedFromSimulator: true, source: "simulator_migration", originalSessionID: sessionID,
            eligibilityScore: result.eligibility_score, estimatedSavings: result.estimated_savings, savingsEstimated: result.savings_estimated,
            confidenceLevel: result.confidence_level, recommendations: result.recommendations, riskFactors: result.risk_factors,
            calculationDetails: nil, rulesetVersion: result.ruleset_version)
        let document = try JSONDocument(encoding: metadata, adding: "calculation_details", json: result.calculation_details)
        let notes = "Migration depuis le simulateur - Score : \(result.eligibility_score) %"
        let priority = result.eligibility_score >= 70 ? 1 : 2
        let rate = Double(result.eligibility_score) / 100
        if let existing {
            guard existing.current_step == 0, existing.expert_id == nil, !existing.charte_signed else {
                return ProductOutcome(productCode: result.produit_id, outcome: "kept", reason: ProductOutcome.keptReason, status: result.status)
            }
            try await sql.update(ClientProduitEligible.schema)
                .set("statut", to: SQLBind(result.status)).set("tauxFinal", to: SQLBind(rate))
                .set("montantFinal", to: SQLBind(result.estimated_savings)).set("dureeFinale", to: SQLBind(12))
                .set("simulationId", to: SQLBind(simulationID)).set("metadata", to: SQLBind(document))
                .set("notes", to: SQLBind(notes)).set("priorite", to: SQLBind(priority))
                .set("dateEligibilite", to: SQLBind(now)).set("updated_at", to: SQLBind(now))
                .where("id", .equal, SQLBind(existing.id))
                .run()
            return ProductOutcome(productCode: result.produit_id, outcome: "updated", reason: ProductOutcome.updatedReason, status: result.status)
        }
        newRows.append([SQLBind(UUID()), SQLBind(clientID), SQLBind(productID), SQLBind(result.status), SQLBind(rate),
                        SQLBind(result.estimated_savings), SQLBind(12), SQLBind(simulationID), SQLBind(document), SQLBind(notes),
                        SQLBind(priority), SQLBind(now), SQLBind(0), SQLBind(0), SQLBind(UUID?.none), SQLBind(false), SQLBind(now), SQLBind(now)])
        return ProductOutcome(productCode: result.produit_id, outcome: "created", reason: nil, status: result.status)
    }

    /// The `ClientProduitEligible` columns a migration fills, in the order of `writeProduct`'s rows.
    private static let productColumns = [
        "id", "clientId", "produitId", "statut", "tauxFinal", "montantFinal", "dureeFinale", "simulationId", "metadata",
        "notes", "priorite", "dateEligibilite", "current_step", "progress", "expert_id", "charte_signed", "created_at", "updated_at",
    ]

    private func simulationAnswers(_ rows: [AnswerRow]) -> [SimulationAnswer] {
        rows.compactMap { row -> (Int, SimulationAnswer)? in
            let question = catalog.question(id: row.question_id)
            return (question?.order ?? 100_000, SimulationAnswer(
                questionID: row.question_id, questionText: question?.text ?? row.question_id,
                questionType: question?.type.rawValue ?? "inconnu", responseValue: row.response_value.value))
        }
        .sorted { ($0.0, $0.1.questionID) < ($1.0, $1.1.questionID) }
        .map(\.1)
    }

    /// Product ids by code. `ProduitEligible` only changes at start-up, so one read per process is enough.
    private func productIDsByCode(on database: any Database) async throws -> [String: UUID] {
        if let cached = productIDCache.withLockedValue({ $0 }) { return cached }
        let rows = try await ProduitEligible.query(on: database).all()
        let ids = Dictionary(rows.map { ($0.code, $0.id!) }, uniquingKeysWith: { first, _ in first })
        productIDCache.withLockedValue { $0 = ids }
        return ids
    }

    private func translate(_ error: any Error) -> any Error {
        let text = String(reflecting: error)
        if text.contains("57014") || text.contains("statement timeout") { return AppError.migrationTimeout }
        if let database = error as? any DatabaseError, database.isConstraintFailure {
            return AppError(status: .conflict, code: "MIGRATION_CONFLICT", message: "Une autre opération a modifié ces données : réessayez.")
        }
        return error
    }
}

extension AppError {
    static let migrationTimeout = AppError(status: .gatewayTimeout, code: "MIGRATION_TIMEOUT",
                                           message: "Le rattachement a pris trop de temps : rien n'a été enregistré, réessayez.")
    static let emailAlreadyRegistered = AppError(status: .conflict, code: "EMAIL_ALREADY_REGISTERED",
                                                 message: "Un compte existe déjà avec cet e-mail : connectez-vous, puis rattachez cette simulation à votre compte.")
    static let clientNotFound = AppError(status: .notFound, code: "CLIENT_NOT_FOUND", message: "Client non trouvé avec cet e-mail.")
}

/// A `TemporaryResponse` row as the migration reads it.
struct AnswerRow: Decodable, Sendable {
    let question_id: String
    let response_value: StoredResponseValue
}

/// A `TemporaryEligibility` row as the migration reads it (column names as in the table).
struct ResultRow: Decodable, Sendable {
    let produit_id: String
    let eligibility_score: Int
    let status: String
    let estimated_savings: Double
    let savings_estimated: Bool
    let confidence_level: String
    let recommendations: [String]
    let risk_factors: [String]
    let missing_inputs: [String]
    /// JSON text, copied as is.
    let calculation_details: String
    let ruleset_version: String

    /// The result as `Simulation.results` stores it: a `ProductResultDTO` document.
    func document(productName: String) throws -> JSONDocument {
        try JSONDocument(encoding: StoredResultSummary(row: self, productName: productName),
                         adding: "calculation_details", json: calculation_details)
    }
}

/// A `ProductResultDTO` without its calculation details, which are appended as stored.
private struct StoredResultSummary: Encodable {
    let row: ResultRow
    let productName: String

    func encode(to encoder: any Encoder) throws {
        typealias Key = ProductResultDTO.CodingKeys
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(row.produit_id, forKey: .productCode)
        try container.encode(productName, forKey: .productName)
        try container.encode(row.eligibility_score, forKey: .score)
        try container.encode(row.status, forKey: .status)
        try container.encode(row.estimated_savings, forKey: .estimatedSavings)
        try container.encode(row.savings_estimated, forKey: .savingsEstimated)
        try container.encode(row.confidence_level, forKey: .confidenceLevel)
        try container.encode(row.recommendations, forKey: .recommendations)
        try container.encode(row.risk_factors, forKey: .riskFactors)
        try container.encode(row.missing_inputs, forKey: .missingInputs)
    }
}

/// The columns the claim returns.
struct ClaimedSession: Decodable, Sendable {
    let id: UUID
    let ruleset_version: String?
    let completed_at: Date?
}

/// What decides whether a product the client already has may be refreshed.
struct OwnedProductRow: Decodable, Sendable {
    let id: UUID
    let produitId: UUID
    let current_step: Int
    let expert_id: UUID?
    let charte_signed: Bool
}
