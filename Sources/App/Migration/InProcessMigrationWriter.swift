import Eligibility
import Fluent
import Foundation
import SQLKit

extension MigrationService {
    /// The migration's writes in Swift, used on SQLite. PostgreSQL runs the same rules in one
    /// statement (`passerelle_migrate_session`, in `Resources/sql`); `SQLFunctionParityTests` checks
    /// that both leave the same rows. SQLite runs one write transaction at a time, so the claim is
    /// the only lock needed. Writes nothing when the session cannot be claimed.
    func writeInProcess(hash: String, client: Client, actor: MigrationActor, now: Date, answers preloaded: [AnswerRow]?,
                        on database: any Database) async throws -> MigrationWrite {
        let sql = database as! any SQLDatabase
        let clientID = client.id!
        // Claim the session: only one transaction can move it from completed to migrated.
        let claimed = try await sql.update(TemporarySession.schema)
            .set("status", to: SQLBind(SessionStatus.migrated.rawValue))
            .set("client_id", to: SQLBind(clientID))
            .set("migrated_at", to: SQLBind(now))
            .set("updated_at", to: SQLBind(now))
            .where("session_token_hash", .equal, SQLBind(hash))
            .where("status", .equal, SQLBind(SessionStatus.completed.rawValue))
            .where("expires_at", .greaterThan, SQLBind(now))
            .returning("id", "ruleset_version", "completed_at")
            .all(decoding: ClaimedSession.self)
        guard let session = claimed.first else { return .refused(try await sessionRefusal(hash: hash, on: database)) }

        let answers: [AnswerRow]
        if let preloaded { answers = preloaded } else { answers = try await readAnswers(sessionID: session.id, on: sql) }
        // Plain SQL decoded with Codable throughout: Fluent's reflection-based models cost more than the queries here.
        // The calculation details are read as JSON text and copied as is, never decoded.
        let results = try await sql.select()
            .columns("produit_id", "eligibility_score", "status", "estimated_savings", "savings_estimated", "confidence_level",
                     "recommendations", "risk_factors", "missing_inputs", "ruleset_version", "calculation_details")
            .from(TemporaryEligibility.schema)
            .where("session_id", .equal, SQLBind(session.id)).orderBy("produit_id").all(decoding: ResultRow.self)
        guard !results.isEmpty else { throw AppError.noResults }

        let simulationID = UUID()
        try await sql.insert(into: Simulation.schema)
            .columns("id", "clientId", "session_id", "answers", "results", "source", "ruleset_version", "created_at")
            .values(SQLBind(simulationID), SQLBind(clientID), SQLBind(session.id),
                    SQLBind(try simulationAnswers(answers).map(JSONDocument.init(encoding:)).bound(for: sql.dialect)),
                    SQLBind(try results.map { try $0.document(productName: catalog.product(code: $0.produit_id)?.name ?? $0.produit_id) }
                        .bound(for: sql.dialect)),
                    SQLBind("simulator_migration"), SQLBind(session.ruleset_version ?? ""), SQLBind(now))
            .run()

        let productIDs = try await productIDsByCode(on: sql)
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

        let outcome = MigrationOutcome(
            clientID: clientID, clientEmail: client.email,
            migratedProductsCount: outcomes.filter { $0.outcome == "created" || $0.outcome == "updated" }.count,
            products: outcomes, simulationID: simulationID, migratedAt: now.iso8601Seconds)
        try await sql.update(TemporarySession.schema)
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
        return .migrated(outcome)
    }

    private func writeProduct(_ result: ResultRow, productID: UUID?, existing: OwnedProductRow?, clientID: UUID, sessionID: UUID,
                              simulationID: UUID, now: Date, newRows: inout [[any SQLExpression]],
                              on sql: any SQLDatabase) async throws -> ProductOutcome {
        guard result.status == EligibilityStatus.eligible.rawValue || result.status == EligibilityStatus.potentiallyEligible.rawValue else {
            return ProductOutcome(productCode: result.produit_id, outcome: "not_eligible", reason: ProductOutcome.notEligibleReason, status: result.status)
        }
        guard let productID else {
            return ProductOutcome(productCode: result.produit_id, outcome: "kept", reason: ProductOutcome.notInCatalogReason, status: result.status)
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
    private func productIDsByCode(on sql: any SQLDatabase) async throws -> [String: UUID] {
        if let cached = productIDCache.withLockedValue({ $0 }) { return cached }
        let rows = try await sql.select().columns("id", "code").from(ProduitEligible.schema).all(decoding: ProductIDRow.self)
        let ids = Dictionary(rows.map { ($0.code, $0.id) }, uniquingKeysWith: { first, _ in first })
        productIDCache.withLockedValue { $0 = ids }
        return ids
    }
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

/// What decides whether a product the client already has may be refreshed.
struct OwnedProductRow: Decodable, Sendable {
    let id: UUID
    let produitId: UUID
    let current_step: Int
    let expert_id: UUID?
    let charte_signed: Bool
}

/// A `ProduitEligible` id with its code.
private struct ProductIDRow: Decodable {
    let id: UUID
    let code: String
}
