import Eligibility
import Foundation

/// `ClientProduitEligible.metadata`: where the row came from and the simulation result behind it.
/// Keys are snake_case so `metadata->>'migrated_from_simulator' = 'true'` works as the user's documents write it.
struct ProductMetadata: Codable, Sendable, Equatable {
    var migratedFromSimulator: Bool
    var source: String
    var originalSessionID: UUID?
    var eligibilityScore: Int
    var estimatedSavings: Double
    var savingsEstimated: Bool
    var confidenceLevel: String
    var recommendations: [String]
    var riskFactors: [String]
    var calculationDetails: CalculationDetails?
    var rulesetVersion: String

    enum CodingKeys: String, CodingKey {
        case source, recommendations
        case migratedFromSimulator = "migrated_from_simulator"
        case originalSessionID = "original_session_id"
        case eligibilityScore = "eligibility_score"
        case estimatedSavings = "estimated_savings"
        case savingsEstimated = "savings_estimated"
        case confidenceLevel = "confidence_level"
        case riskFactors = "risk_factors"
        case calculationDetails = "calculation_details"
        case rulesetVersion = "ruleset_version"
    }
}
