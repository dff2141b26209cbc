/// The outcome of one product for one set of answers, with everything needed to see why.
public struct ProductResult: Sendable, Codable, Equatable {
    public let productCode: String
    public let productName: String
    public let score: Int
    public let status: EligibilityStatus
    /// Euros, two decimals. Zero when the product is not eligible or the amount cannot be estimated;
    /// `savingsEstimated` and `calculationDetails.savings.reason` then say why.
    public let estimatedSavings: Double
    public let savingsEstimated: Bool
    public let confidenceLevel: ConfidenceLevel
    public let recommendations: [String]
    public let riskFactors: [String]
    public let calculationDetails: CalculationDetails
    /// Ids of the questions this product would need that are not answered.
    public let missingInputs: [String]

    enum CodingKeys: String, CodingKey {
        case score, status, recommendations
        case productCode = "product_code"
        case productName = "product_name"
        case estimatedSavings = "estimated_savings"
        case savingsEstimated = "savings_estimated"
        case confidenceLevel = "confidence_level"
        case riskFactors = "risk_factors"
        case calculationDetails = "calculation_details"
        case missingInputs = "missing_inputs"
    }
}

/// One full evaluation: every product of the catalog at one date under one ruleset.
public struct Evaluation: Sendable, Codable, Equatable {
    public let rulesetVersion: String
    public let evaluatedOn: CalendarDay
    public let results: [ProductResult]
    public let totalEstimatedSavings: Double

    public func result(for code: String) -> ProductResult? { results.first { $0.productCode == code } }

    enum CodingKeys: String, CodingKey {
        case results
        case rulesetVersion = "ruleset_version"
        case evaluatedOn = "evaluated_on"
        case totalEstimatedSavings = "total_estimated_savings"
    }
}

/// Why an evaluation could not be made.
public enum EvaluationError: Error, Sendable, Equatable, CustomStringConvertible {
    case parameterUnavailable(name: String, day: CalendarDay)

    public var description: String {
        switch self {
        case .parameterUnavailable(let name, let day):
            return "le paramètre « \(name) » n'a pas de valeur en vigueur le \(day)"
        }
    }
}
