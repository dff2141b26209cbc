import Eligibility
import Foundation
import SQLKit

/// What a migration copies into the client's account, built once when the simulator completes the
/// session, in the same transaction as its results (through `SessionCompletionDocuments`): on `TemporarySession`, `simulation_answers` and
/// `simulation_results` (the `Simulation.answers` and `Simulation.results` of a migration); on each
/// `TemporaryEligibility` row of a product a migration attaches (eligible or potentially eligible),
/// `product_metadata` (that product's `metadata`).
///
/// Both migration writers copy these stored documents as they are, so neither builds JSON while it
/// holds its locks: rebuilding each product's calculation details inside the migration was about a
/// third of its time on PostgreSQL. A session whose answers change is reopened, and completing it
/// again rewrites its documents with its results. Not part of the Fluent models: only the migration
/// reads them.
enum SessionMigrationDocuments {
    static let answersColumn = "simulation_answers"
    static let resultsColumn = "simulation_results"
    static let metadataColumn = "product_metadata"

    /// Whether a migration attaches a product with this status to the client.
    static func isAttached(_ status: String) -> Bool {
        ProductPlan(status: status, score: 0, estimatedSavings: 0) != nil
    }

    /// What a migration writes for a result (`ProductPlan`).
    static func plan(_ row: TemporaryEligibility) -> ProductPlan? {
        ProductPlan(status: row.status, score: row.score, estimatedSavings: row.estimatedSavings)
    }

    /// Every answer with its question (text and type), in questionnaire order.
    static func answers(_ answers: [String: AnswerValue], catalog: Catalog) -> [SimulationAnswer] {
        answers.map { id, value -> (Int, SimulationAnswer) in
            let question = catalog.question(id: id)
            return (
                question?.order ?? 100_000,
                SimulationAnswer(
                    questionID: id, questionText: question?.text ?? id,
                    questionType: question?.type.rawValue ?? "inconnu", responseValue: value)
            )
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
}

/// Writes those documents when the simulator completes a session.
struct SessionMigrationDocumentStore: SessionCompletionDocuments {
    let catalog: Catalog
    let backend: any DatabaseBackend

    var resultColumns: [String] { [SessionMigrationDocuments.metadataColumn] + ProductPlan.columns }

    /// The product's metadata document and its plan, for a result a migration attaches; nulls otherwise.
    func values(for row: TemporaryEligibility, sessionID: UUID) throws -> [any Encodable & Sendable] {
        [try SessionMigrationDocuments.metadataDocument(row, sessionID: sessionID)] + ProductPlan.bound(SessionMigrationDocuments.plan(row))
    }

    /// Stores the session's answers and results (by product code) as its migration will record them.
    func store(
        answers: [String: AnswerValue], results rows: [TemporaryEligibility], sessionID: UUID,
        on sql: any SQLDatabase
    ) async throws {
        let answers = try SessionMigrationDocuments.answers(answers, catalog: catalog).map(JSONDocument.init(encoding:))
        let results = try rows.sorted { $0.productCode < $1.productCode }.map { row in
            try JSONDocument(
                encoding: StoredProductResult(row, productName: catalog.product(code: row.productCode)?.name ?? row.productCode))
        }
        try await sql.update(TemporarySession.schema)
            .set(SessionMigrationDocuments.answersColumn, to: SQLBind(backend.bind(answers)))
            .set(SessionMigrationDocuments.resultsColumn, to: SQLBind(backend.bind(results)))
            .where("id", .equal, SQLBind(sessionID))
            .run()
    }
}
