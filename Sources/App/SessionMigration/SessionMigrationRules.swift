import Eligibility
import Foundation
import SQLKit

/// What a migration writes into a client's product for one result, decided once, in Swift, when the
/// session is completed, and stored beside the result (`TemporaryEligibility.plan_*`): both writers
/// copy these values, neither computes them. Nil for a result a migration does not attach.
struct ProductPlan: Sendable, Equatable {
    let statut: String
    let taux: Double
    let montant: Double
    let duree: Int
    let notes: String
    let priorite: Int

    /// The `TemporaryEligibility` columns, in the order of `values`.
    static let columns = ["plan_statut", "plan_taux", "plan_montant", "plan_duree", "plan_notes", "plan_priorite"]

    /// Eligible and potentially eligible products are attached: first priority from a score of 70
    /// (eligible), the rate is the score as a fraction, a first assessment over 12 months.
    init?(status: String, score: Int, estimatedSavings: Double) {
        guard status == EligibilityStatus.eligible.rawValue || status == EligibilityStatus.potentiallyEligible.rawValue else { return nil }
        statut = status
        taux = Double(score) / 100
        montant = estimatedSavings
        duree = 12
        notes = "Migration depuis le simulateur - Score : \(score) %"
        priorite = score >= 70 ? 1 : 2
    }

    init(statut: String, taux: Double, montant: Double, duree: Int, notes: String, priorite: Int) {
        self.statut = statut
        self.taux = taux
        self.montant = montant
        self.duree = duree
        self.notes = notes
        self.priorite = priorite
    }

    var values: [any Encodable & Sendable] { [statut, taux, montant, duree, notes, priorite] }

    /// The columns' values for a result: the plan's, or nulls.
    static func bound(_ plan: ProductPlan?) -> [any Encodable & Sendable] {
        plan?.values ?? [String?.none, Double?.none, Double?.none, Int?.none, String?.none, Int?.none]
    }
}

/// Every French sentence a migration answers with, by code: written once here, copied at each start
/// into `SessionMigrationText`, where the SQL functions read them, so that the application and the
/// user's SQL function say the same.
enum SessionMigrationTexts {
    static let table = "SessionMigrationText"

    static var all: [(code: String, message: String)] {
        [
            ("outcome.updated", ProductOutcome.updatedReason),
            ("outcome.kept", ProductOutcome.keptReason),
            ("outcome.not_eligible", ProductOutcome.notEligibleReason),
            ("outcome.not_in_catalog", ProductOutcome.notInCatalogReason),
            ("reply.migrated_existing", SessionMigrationResponseDTO.migratedToExistingClient),
            ("reply.already_migrated", SessionMigrationResponseDTO.alreadyMigratedToThisClient),
        ]
            + [
                AppError.sessionNotFound, AppError.sessionAlreadyMigrated, AppError.sessionAbandoned, AppError.sessionNotCompleted,
                AppError.sessionExpired, AppError.clientNotFound, AppError.noResults, AppError.migrationTimeout,
            ].map { ($0.code, $0.message) }
    }

    /// Writes every text, replacing what an earlier build wrote; safe when servers start together.
    static func sync(on sql: any SQLDatabase) async throws {
        let insert = sql.insert(into: table).columns("code", "message")
        for text in all { insert.values(SQLBind(text.code), SQLBind(text.message)) }
        try await insert.onConflict(with: ["code"]) { $0.set(excludedValueOf: "message") }.run()
    }
}
