import Eligibility
import Foundation

/// One product's result as a client's `Simulation.results` stores it: the shape the API's
/// `ProductResultDTO` had when the first simulations were migrated, kept apart from it so that the API
/// can change without rewriting what is stored. Lists and flags added since are read as empty or
/// false in a document written before them.
struct StoredProductResult: Codable, Sendable, Equatable {
    let productCode: String
    let productName: String
    let score: Int
    let status: String
    let estimatedSavings: Double
    let savingsEstimated: Bool
    let confidenceLevel: String
    let recommendations: [String]
    let riskFactors: [String]
    let missingInputs: [String]
    let calculationDetails: CalculationDetails

    enum CodingKeys: String, CodingKey {
        case score, status, recommendations
        case productCode = "product_code"
        case productName = "product_name"
        case estimatedSavings = "estimated_savings"
        case savingsEstimated = "savings_estimated"
        case confidenceLevel = "confidence_level"
        case riskFactors = "risk_factors"
        case missingInputs = "missing_inputs"
        case calculationDetails = "calculation_details"
    }

    init(_ row: TemporaryEligibility, productName: String) {
        productCode = row.productCode
        self.productName = productName
        score = row.score
        status = row.status
        estimatedSavings = row.estimatedSavings
        savingsEstimated = row.savingsEstimated
        confidenceLevel = row.confidenceLevel
        recommendations = row.recommendations
        riskFactors = row.riskFactors
        missingInputs = row.missingInputs
        calculationDetails = row.calculationDetails
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        productCode = try container.decode(String.self, forKey: .productCode)
        productName = try container.decodeIfPresent(String.self, forKey: .productName) ?? productCode
        score = try container.decode(Int.self, forKey: .score)
        status = try container.decode(String.self, forKey: .status)
        estimatedSavings = try container.decode(Double.self, forKey: .estimatedSavings)
        savingsEstimated = try container.decodeIfPresent(Bool.self, forKey: .savingsEstimated) ?? (estimatedSavings > 0)
        confidenceLevel = try container.decodeIfPresent(String.self, forKey: .confidenceLevel) ?? ""
        recommendations = try container.decodeIfPresent([String].self, forKey: .recommendations) ?? []
        riskFactors = try container.decodeIfPresent([String].self, forKey: .riskFactors) ?? []
        missingInputs = try container.decodeIfPresent([String].self, forKey: .missingInputs) ?? []
        calculationDetails = try container.decode(CalculationDetails.self, forKey: .calculationDetails)
    }
}
