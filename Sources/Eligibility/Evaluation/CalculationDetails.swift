/// A trace a person can follow: each condition and contribution with the answers it read,
/// each formula step with the parameter values, their dates and sources.
public struct CalculationDetails: Sendable, Codable, Equatable {
    public let rulesetVersion: String
    public let evaluatedOn: CalendarDay
    /// The answers this product read (visible and answered), in questionnaire order.
    public let answers: [AnswerUsed]
    public let conditions: [ConditionTrace]
    public let contributions: [ContributionTrace]
    /// Sum of the points before it is kept within 0–100.
    public let rawScore: Int
    public let savings: SavingsTrace
    public let confidence: ConfidenceTrace

    enum CodingKeys: String, CodingKey {
        case answers, conditions, contributions, savings, confidence
        case rulesetVersion = "ruleset_version"
        case evaluatedOn = "evaluated_on"
        case rawScore = "raw_score"
    }
}

public struct AnswerUsed: Sendable, Codable, Equatable {
    public let question: String
    /// nil when the question is unanswered or hidden by the answers.
    public let answer: AnswerValue?
}

public struct ConditionTrace: Sendable, Codable, Equatable {
    public let id: String
    public let description: String
    public let outcome: Truth
    /// The questions the condition reads; their answers are in ``CalculationDetails/answers``.
    public let questions: [String]
    /// Said when the condition is not met or cannot be decided yet.
    public let explanation: String?
}

public struct ContributionTrace: Sendable, Codable, Equatable {
    public let id: String
    public let reason: String
    public let outcome: Truth
    /// Points given: the contribution's points when its condition holds, else 0.
    public let points: Int
    public let questions: [String]
}

public struct SavingsTrace: Sendable, Codable, Equatable {
    public let estimated: Bool
    /// The formula's result in euros, before rounding and before a negative result is floored at 0.
    public let value: Double?
    public let reason: String?
    public let note: String?
    public let variables: [VariableTrace]
    public let steps: [StepTrace]
    public let parameters: [ParameterTrace]
}

public struct VariableTrace: Sendable, Codable, Equatable {
    public let name: String
    public let label: String
    public let value: Double?
    public let question: String?
    public let answer: AnswerValue?
    public let formula: String?
    public let note: String?
}

public struct StepTrace: Sendable, Codable, Equatable {
    public let name: String
    public let label: String
    public let formula: String
    public let value: Double?
}

public struct ParameterTrace: Sendable, Codable, Equatable {
    public let name: String
    public let label: String
    public let unit: String
    public let value: Double
    public let validFrom: CalendarDay
    public let validUntil: CalendarDay?
    public let source: SourceDefinition?
    public let unsourced: String?
    public let note: String?

    enum CodingKeys: String, CodingKey {
        case name, label, unit, value, source, unsourced, note
        case validFrom = "valid_from"
        case validUntil = "valid_until"
    }
}

public struct ConfidenceTrace: Sendable, Codable, Equatable {
    /// Importance-weighted count of the relevant visible questions that were answered, and of all of them.
    public let answeredWeight: Int
    public let relevantWeight: Int
    public let share: Double

    enum CodingKeys: String, CodingKey {
        case share
        case answeredWeight = "answered_weight"
        case relevantWeight = "relevant_weight"
    }
}
