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

/// The fixed wording of a condition or a score contribution, built once when the catalog loads
/// and shared by every trace that mentions it: a trace entry costs one reference, not a copy.
final class TraceLabel: Sendable {
    let id: String
    let text: String
    let questions: [String]
    let unmet: String?
    let points: Int

    init(id: String, text: String, questions: [String], unmet: String?, points: Int) {
        self.id = id
        self.text = text
        self.questions = questions
        self.unmet = unmet
        self.points = points
    }
}

public struct ConditionTrace: Sendable, Codable, Equatable {
    let label: TraceLabel
    public let outcome: Truth

    public var id: String { label.id }
    public var description: String { label.text }
    /// The questions the condition reads; their answers are in ``CalculationDetails/answers``.
    public var questions: [String] { label.questions }
    /// Said when the condition is not met or cannot be decided yet.
    public var explanation: String? {
        switch outcome {
        case .true: return nil
        case .false: return label.unmet
        case .unknown: return "À confirmer : réponse manquante."
        }
    }

    init(label: TraceLabel, outcome: Truth) {
        self.label = label
        self.outcome = outcome
    }

    enum CodingKeys: String, CodingKey { case id, description, outcome, questions, explanation }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        outcome = try container.decode(Truth.self, forKey: .outcome)
        label = TraceLabel(id: try container.decode(String.self, forKey: .id),
                           text: try container.decode(String.self, forKey: .description),
                           questions: try container.decode([String].self, forKey: .questions),
                           unmet: try container.decodeIfPresent(String.self, forKey: .explanation), points: 0)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(description, forKey: .description)
        try container.encode(outcome, forKey: .outcome)
        try container.encode(questions, forKey: .questions)
        try container.encodeIfPresent(explanation, forKey: .explanation)
    }

    public static func == (lhs: ConditionTrace, rhs: ConditionTrace) -> Bool {
        lhs.id == rhs.id && lhs.description == rhs.description && lhs.outcome == rhs.outcome
            && lhs.questions == rhs.questions && lhs.explanation == rhs.explanation
    }
}

public struct ContributionTrace: Sendable, Codable, Equatable {
    let label: TraceLabel
    public let outcome: Truth

    public var id: String { label.id }
    public var reason: String { label.text }
    /// Points given: the contribution's points when its condition holds, else 0.
    public var points: Int { outcome == .true ? label.points : 0 }
    public var questions: [String] { label.questions }

    init(label: TraceLabel, outcome: Truth) {
        self.label = label
        self.outcome = outcome
    }

    enum CodingKeys: String, CodingKey { case id, reason, outcome, points, questions }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        outcome = try container.decode(Truth.self, forKey: .outcome)
        label = TraceLabel(id: try container.decode(String.self, forKey: .id),
                           text: try container.decode(String.self, forKey: .reason),
                           questions: try container.decode([String].self, forKey: .questions),
                           unmet: nil, points: try container.decode(Int.self, forKey: .points))
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(reason, forKey: .reason)
        try container.encode(outcome, forKey: .outcome)
        try container.encode(points, forKey: .points)
        try container.encode(questions, forKey: .questions)
    }

    public static func == (lhs: ContributionTrace, rhs: ContributionTrace) -> Bool {
        lhs.id == rhs.id && lhs.reason == rhs.reason && lhs.outcome == rhs.outcome
            && lhs.points == rhs.points && lhs.questions == rhs.questions
    }
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
