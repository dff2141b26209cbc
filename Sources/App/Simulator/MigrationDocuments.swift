import Eligibility
import Foundation
import SQLKit

/// What a migration copies into the client's account, built once when the session is completed and
/// stored next to its results: `TemporarySession.simulation_answers` (the `Simulation.answers` of a
/// migration), and per result `TemporaryEligibility.simulation_result` (its `Simulation.results`
/// entry) and `TemporaryEligibility.product_metadata` (the product's `metadata`).
///
/// Both migration writers copy these stored documents as they are, so neither builds JSON while it
/// holds its locks: rebuilding each product's calculation details inside the migration was about a
/// third of its time on PostgreSQL. A session whose answers change is reopened, and completing it
/// again rewrites its documents with its results. Not part of the Fluent models: only the migration
/// reads them.
enum MigrationDocuments {
    static let answersColumn = "simulation_answers"
    static let resultColumn = "simulation_result"
    static let metadataColumn = "product_metadata"

    /// Every answer with its question (text and type), in questionnaire order.
    static func answers(_ answers: [String: AnswerValue], catalog: Catalog) -> [SimulationAnswer] {
        answers.map { id, value -> (Int, SimulationAnswer) in
            let question = catalog.question(id: id)
            return (question?.order ?? 100_000, SimulationAnswer(
                questionID: id, questionText: question?.text ?? id,
                questionType: question?.type.rawValue ?? "inconnu", responseValue: value))
        }
        .sorted { ($0.0, $0.1.questionID) < ($1.0, $1.1.questionID) }
        .map(\.1)
    }

    /// The product's `metadata` once migrated: where it came from and the result behind it.
    static func metadata(_ row: TemporaryEligibility, sessionID: UUID) -> ProductMetadata {
        ProductMetadata(
            migratedFromSimulator: true, source: "simulator_migration", originalSessionID: sessionID,
            eligibilityScore: row.score, estimatedSavings: row.estimatedSavings, savingsEstimated: row.savingsEstimated,
            confidenceLevel: row.confidenceLevel, recommendations: row.recommendations, riskFactors: row.riskFactors,
            calculationDetails: row.calculationDetails, rulesetVersion: row.rulesetVersion)
    }

    /// A result's `Simulation.results` entry and its product's `metadata`.
    static func documents(_ row: TemporaryEligibility, sessionID: UUID, catalog: Catalog) throws -> (result: JSONDocument, metadata: JSONDocument) {
        let productName = catalog.product(code: row.productCode)?.name ?? row.productCode
        return (try JSONDocument(encoding: ProductResultDTO(row, productName: productName)),
                try JSONDocument(encoding: metadata(row, sessionID: sessionID)))
    }

    /// Inserts a completed session's results with their documents, in one statement.
    static func insert(_ rows: [TemporaryEligibility], sessionID: UUID, catalog: Catalog, on sql: any SQLDatabase) async throws {
        guard !rows.isEmpty else { return }
        let insert = sql.insert(into: TemporaryEligibility.schema).columns(
            "id", "session_id", "produit_id", "eligibility_score", "status", "estimated_savings", "savings_estimated",
            "confidence_level", "recommendations", "risk_factors", "missing_inputs", "calculation_details", "ruleset_version",
            "created_at", resultColumn, metadataColumn)
        for row in rows {
            row.id = row.id ?? UUID()
            let documents = try documents(row, sessionID: sessionID, catalog: catalog)
            insert.values(
                SQLBind(row.id), SQLBind(sessionID), SQLBind(row.productCode), SQLBind(row.score), SQLBind(row.status),
                SQLBind(row.estimatedSavings), SQLBind(row.savingsEstimated), SQLBind(row.confidenceLevel),
                SQLBind(row.recommendations), SQLBind(row.riskFactors), SQLBind(row.missingInputs), SQLBind(row.calculationDetails),
                SQLBind(row.rulesetVersion), SQLBind(row.createdAt),
                SQLBind(documents.result), SQLBind(documents.metadata))
        }
        try await insert.run()
    }

    /// Stores the session's answers as its migration will record them.
    static func storeAnswers(_ answers: [String: AnswerValue], sessionID: UUID, catalog: Catalog, on sql: any SQLDatabase) async throws {
        let documents = try Self.answers(answers, catalog: catalog).map(JSONDocument.init(encoding:))
        try await sql.update(TemporarySession.schema)
            .set(answersColumn, to: SQLBind(documents.bound(for: sql.dialect)))
            .where("id", .equal, SQLBind(sessionID))
            .run()
    }
}
