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
    public var missingInputs: [String] { calculationDetails.missingInputs }

    init(
        productCode: String, productName: String, score: Int, status: EligibilityStatus, estimatedSavings: Double,
        savingsEstimated: Bool, confidenceLevel: ConfidenceLevel, recommendations: [String], riskFactors: [String],
        calculationDetails: CalculationDetails
    ) {
        self.productCode = productCode
        self.productName = productName
        self.score = score
        self.status = status
        self.estimatedSavings = estimatedSavings
        self.savingsEstimated = savingsEstimated
        self.confidenceLevel = confidenceLevel
        self.recommendations = recommendations
        self.riskFactors = riskFactors
        self.calculationDetails = calculationDetails
    }

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

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        productCode = try container.decode(String.self, forKey: .productCode)
        productName = try container.decode(String.self, forKey: .productName)
        score = try container.decode(Int.self, forKey: .score)
        status = try container.decode(EligibilityStatus.self, forKey: .status)
        estimatedSavings = try container.decode(Double.self, forKey: .estimatedSavings)
        savingsEstimated = try container.decode(Bool.self, forKey: .savingsEstimated)
        confidenceLevel = try container.decode(ConfidenceLevel.self, forKey: .confidenceLevel)
        recommendations = try container.decode([String].self, forKey: .recommendations)
        riskFactors = try container.decode([String].self, forKey: .riskFactors)
        calculationDetails = try container.decode(CalculationDetails.self, forKey: .calculationDetails)
            .carrying(missingInputs: try container.decode([String].self, forKey: .missingInputs))
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(productCode, forKey: .productCode)
        try container.encode(productName, forKey: .productName)
        try container.encode(score, forKey: .score)
        try container.encode(status, forKey: .status)
        try container.encode(estimatedSavings, forKey: .estimatedSavings)
        try container.encode(savingsEstimated, forKey: .savingsEstimated)
        try container.encode(confidenceLevel, forKey: .confidenceLevel)
        try container.encode(recommendations, forKey: .recommendations)
        try container.encode(riskFactors, forKey: .riskFactors)
        try container.encode(calculationDetails, forKey: .calculationDetails)
        try container.encode(missingInputs, forKey: .missingInputs)
    }

    public static func == (lhs: ProductResult, rhs: ProductResult) -> Bool {
        lhs.productCode == rhs.productCode && lhs.productName == rhs.productName && lhs.score == rhs.score
            && lhs.status == rhs.status && lhs.estimatedSavings == rhs.estimatedSavings
            && lhs.savingsEstimated == rhs.savingsEstimated && lhs.confidenceLevel == rhs.confidenceLevel
            && lhs.recommendations == rhs.recommendations && lhs.riskFactors == rhs.riskFactors
            && lhs.calculationDetails == rhs.calculationDetails && lhs.missingInputs == rhs.missingInputs
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
