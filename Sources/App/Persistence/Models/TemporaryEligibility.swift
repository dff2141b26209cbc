import Eligibility
import Fluent
import Foundation

/// The result of one product for a completed session; one row per (session, product).
final class TemporaryEligibility: Model, @unchecked Sendable {
    static let schema = "TemporaryEligibility"

    @ID(key: .id) var id: UUID?
    @Parent(key: "session_id") var session: TemporarySession
    /// Product code (`TICPE`, `CIR`…), as in the original table.
    @Field(key: "produit_id") var productCode: String
    @Field(key: "eligibility_score") var score: Int
    @Field(key: "status") var status: String
    @Field(key: "estimated_savings") var estimatedSavings: Double
    @Field(key: "savings_estimated") var savingsEstimated: Bool
    @Field(key: "confidence_level") var confidenceLevel: String
    @Field(key: "recommendations") var recommendations: [String]
    @Field(key: "risk_factors") var riskFactors: [String]
    @Field(key: "missing_inputs") var missingInputs: [String]
    @Field(key: "calculation_details") var calculationDetails: CalculationDetails
    @Field(key: "ruleset_version") var rulesetVersion: String
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(sessionID: UUID, result: ProductResult, rulesetVersion: String, now: Date) {
        self.$session.id = sessionID
        self.productCode = result.productCode
        self.score = result.score
        self.status = result.status.rawValue
        self.estimatedSavings = result.estimatedSavings
        self.savingsEstimated = result.savingsEstimated
        self.confidenceLevel = result.confidenceLevel.rawValue
        self.recommendations = result.recommendations
        self.riskFactors = result.riskFactors
        self.missingInputs = result.missingInputs
        self.calculationDetails = result.calculationDetails
        self.rulesetVersion = rulesetVersion
        self.createdAt = now
    }
}
