import Eligibility
import Foundation
import SQLKit

/// What a migration copies into the client's account, built once when the session is completed, in
/// the same transaction as its results: on `TemporarySession`, `simulation_answers` and
/// `simulation_results` (the `Simulation.answers` and `Simulation.results` of a migration); on each
/// `TemporaryEligibility` row of a product a migration attaches (eligible or potentially eligible),
/// `product_metadata` (that product's `metadata`).
///
/// Both migration writers copy these stored documents as they are, so neither builds JSON while it
/// holds its locks: rebuilding each product's calculation details inside the migration was about a
/// third of its time on PostgreSQL. A session whose answers change is reopened, and completing it
/// again rewrites its documents with its results. Not part of the Fluent models: only the migration
/// reads them.
enum MigrationDocuments {
    static let answersColumn = "simulation_answers"
    static let resultsColumn = "simulation_results"
    static let metadataColumn = "product_metadata"

    /// Whether a migration attaches a product with this status to the client.
    static func isAttached(_ status: String) -> Bool {
        status == EligibilityStatus.eligible.rawValue || status == EligibilityStatus.potentiallyEligible.rawValue
    }

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

    /// A result's product `metadata` document, for a product a migration attaches; nil otherwise.
    static func metadataDocument(_ row: TemporaryEligibility, sessionID: UUID) throws -> JSONDocument? {
        isAttached(row.status) ? try JSONDocument(encoding: metadata(row, sessionID: sessionID)) : nil
    }

    /// Inserts a completed session's results with their metadata documents, in one statement.
    static func insert(_ rows: [TemporaryEligibility], sessionID: UUID, on sql: any SQLDatabase) async throws {
        guard !rows.isEmpty else { return }
        let insert = sql.insert(into: TemporaryEligibility.schema).columns(
            "id", "session_id", "produit_id", "eligibility_score", "status", "estimated_savings", "savings_estimated",
            "confidence_level", "recommendations", "risk_factors", "missing_inputs", "calculation_details", "ruleset_version",
            "created_at", metadataColumn)
        for row in rows {
            row.id = row.id ?? UUID()
            insert.values(
                SQLBind(row.id), SQLBind(sessionID), SQLBind(row.productCode), SQLBind(row.score), SQLBind(row.status),
                SQLBind(row.estimatedSavings), SQLBind(row.savingsEstimated), SQLBind(row.confidenceLevel),
                SQLBind(row.recommendations), SQLBind(row.riskFactors), SQLBind(row.missingInputs), SQLBind(row.calculationDetails),
                SQLBind(row.rulesetVersion), SQLBind(row.createdAt), SQLBind(try metadataDocument(row, sessionID: sessionID)))
        }
        try await insert.run()
    }

    /// Stores the session's answers and results (by product code) as its migration will record them.
    static func store(answers: [String: AnswerValue], results rows: [TemporaryEligibility], sessionID: UUID, catalog: Catalog,
                      on sql: any SQLDatabase) async throws {
        let answers = try Self.answers(answers, catalog: catalog).map(JSONDocument.init(encoding:))
        let results = try rows.sorted { $0.productCode < $1.productCode }.map { row in
            try JSONDocument(encoding: ProductResultDTO(row, productName: catalog.product(code: row.productCode)?.name ?? row.productCode))
        }
        try await sql.update(TemporarySession.schema)
            .set(answersColumn, to: SQLBind(answers.bound(for: sql.dialect)))
            .set(resultsColumn, to: SQLBind(results.bound(for: sql.dialect)))
            .where("id", .equal, SQLBind(sessionID))
            .run()
    }
}
