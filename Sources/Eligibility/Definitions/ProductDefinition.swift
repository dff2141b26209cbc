/// A product (a scheme an advisory firm can recover money from), as written in `products/CODE.yaml`.
struct ProductDefinition: Decodable, Sendable {
    let code: String
    let name: String
    let category: String
    let description: String
    let sources: [SourceDefinition]
    let eligibility: [GateDefinition]
    let score: [ContributionDefinition]
    let savings: SavingsDefinition
    let recommendations: [AdviceDefinition]?
    let riskFactors: [AdviceDefinition]?

    enum CodingKeys: String, CodingKey {
        case code, name, category, description, sources, eligibility, score, savings, recommendations
        case riskFactors = "risk_factors"
    }
}

/// A condition every eligible business must meet.
struct GateDefinition: Decodable, Sendable {
    let id: String
    let description: String
    let when: ConditionDefinition
    /// Said to the visitor when the condition is not met.
    let unmet: String
}

/// Points added to the score when a condition holds.
struct ContributionDefinition: Decodable, Sendable {
    let id: String
    let points: Int
    let reason: String
    let when: ConditionDefinition?
}

struct SavingsDefinition: Decodable, Sendable {
    /// Set when the catalog cannot estimate an amount honestly; says why.
    let notEstimated: String?
    let variables: [VariableDefinition]?
    let steps: [StepDefinition]?
    let result: String?
    let note: String?

    enum CodingKeys: String, CodingKey {
        case variables, steps, result, note
        case notEstimated = "not_estimated"
    }
}

/// A number drawn from the answers: the answer itself (number question), a value per option,
/// or the first matching case of `choose`.
struct VariableDefinition: Decodable, Sendable {
    let name: String
    let label: String
    let question: String?
    let values: [String: Double]?
    let aggregate: Aggregate?
    let choose: [ChoiceDefinition]?
    let otherwise: String?
    let note: String?

    enum Aggregate: String, Decodable, Sendable {
        case sum, max, min
    }
}

struct ChoiceDefinition: Decodable, Sendable {
    let when: ConditionDefinition
    let formula: String
}

struct StepDefinition: Decodable, Sendable {
    let name: String
    let label: String
    let formula: String
}

/// A recommendation or risk factor, shown when its condition holds and the status is among `statuses`.
struct AdviceDefinition: Decodable, Sendable {
    let text: String
    let when: ConditionDefinition?
    let statuses: [EligibilityStatus]?
}
