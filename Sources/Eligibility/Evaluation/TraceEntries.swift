/// The entries of a calculation trace as people read them (see ``CalculationDetails``).
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
        label = TraceLabel(
            id: try container.decode(String.self, forKey: .id),
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
        label = TraceLabel(
            id: try container.decode(String.self, forKey: .id),
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

/// The fixed wording of a formula variable or step (name, label, note), built once when the catalog
/// loads and shared by every trace that mentions it.
final class VariableLabel: Sendable {
    let name: String
    let label: String
    let note: String?

    init(name: String, label: String, note: String?) {
        self.name = name
        self.label = label
        self.note = note
    }
}

public struct VariableTrace: Sendable, Codable, Equatable {
    let wording: VariableLabel
    public let value: Double?
    public let question: String?
    public let answer: AnswerValue?
    public let formula: String?

    public var name: String { wording.name }
    public var label: String { wording.label }
    public var note: String? { wording.note }

    init(wording: VariableLabel, value: Double?, question: String?, answer: AnswerValue?, formula: String?) {
        self.wording = wording
        self.value = value
        self.question = question
        self.answer = answer
        self.formula = formula
    }

    enum CodingKeys: String, CodingKey { case name, label, value, question, answer, formula, note }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        wording = VariableLabel(
            name: try container.decode(String.self, forKey: .name),
            label: try container.decode(String.self, forKey: .label),
            note: try container.decodeIfPresent(String.self, forKey: .note))
        value = try container.decodeIfPresent(Double.self, forKey: .value)
        question = try container.decodeIfPresent(String.self, forKey: .question)
        answer = try container.decodeIfPresent(AnswerValue.self, forKey: .answer)
        formula = try container.decodeIfPresent(String.self, forKey: .formula)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(label, forKey: .label)
        try container.encodeIfPresent(value, forKey: .value)
        try container.encodeIfPresent(question, forKey: .question)
        try container.encodeIfPresent(answer, forKey: .answer)
        try container.encodeIfPresent(formula, forKey: .formula)
        try container.encodeIfPresent(note, forKey: .note)
    }

    public static func == (lhs: VariableTrace, rhs: VariableTrace) -> Bool {
        lhs.name == rhs.name && lhs.label == rhs.label && lhs.value == rhs.value && lhs.question == rhs.question
            && lhs.answer == rhs.answer && lhs.formula == rhs.formula && lhs.note == rhs.note
    }
}

public struct StepTrace: Sendable, Codable, Equatable {
    let wording: VariableLabel
    public let formula: String
    public let value: Double?

    public var name: String { wording.name }
    public var label: String { wording.label }

    init(wording: VariableLabel, formula: String, value: Double?) {
        self.wording = wording
        self.formula = formula
        self.value = value
    }

    enum CodingKeys: String, CodingKey { case name, label, formula, value }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        wording = VariableLabel(
            name: try container.decode(String.self, forKey: .name),
            label: try container.decode(String.self, forKey: .label), note: nil)
        formula = try container.decode(String.self, forKey: .formula)
        value = try container.decodeIfPresent(Double.self, forKey: .value)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(label, forKey: .label)
        try container.encode(formula, forKey: .formula)
        try container.encodeIfPresent(value, forKey: .value)
    }

    public static func == (lhs: StepTrace, rhs: StepTrace) -> Bool {
        lhs.name == rhs.name && lhs.label == rhs.label && lhs.formula == rhs.formula && lhs.value == rhs.value
    }
}

/// A parameter value in force, as the trace shows it: a reference to the catalog's parameter and the
/// position of the value, so a trace entry costs one reference, not a copy of every field.
public struct ParameterTrace: Sendable, Codable, Equatable {
    let parameter: Parameter
    let position: Int

    private var entry: Parameter.Value { parameter.values[position] }
    public var name: String { parameter.name }
    public var label: String { parameter.label }
    public var unit: String { parameter.unit }
    public var value: Double { entry.value }
    public var validFrom: CalendarDay { entry.from }
    public var validUntil: CalendarDay? { entry.until }
    public var source: SourceDefinition? { entry.source }
    public var unsourced: String? { entry.unsourced }
    public var note: String? { entry.note }

    init(parameter: Parameter, position: Int) {
        self.parameter = parameter
        self.position = position
    }

    enum CodingKeys: String, CodingKey {
        case name, label, unit, value, source, unsourced, note
        case validFrom = "valid_from"
        case validUntil = "valid_until"
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let value = Parameter.Value(
            from: try container.decode(CalendarDay.self, forKey: .validFrom),
            until: try container.decodeIfPresent(CalendarDay.self, forKey: .validUntil),
            value: try container.decode(Double.self, forKey: .value),
            source: try container.decodeIfPresent(SourceDefinition.self, forKey: .source),
            unsourced: try container.decodeIfPresent(String.self, forKey: .unsourced),
            note: try container.decodeIfPresent(String.self, forKey: .note))
        parameter = Parameter(
            name: try container.decode(String.self, forKey: .name),
            label: try container.decode(String.self, forKey: .label),
            unit: try container.decode(String.self, forKey: .unit), values: [value])
        position = 0
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(label, forKey: .label)
        try container.encode(unit, forKey: .unit)
        try container.encode(value, forKey: .value)
        try container.encode(validFrom, forKey: .validFrom)
        try container.encodeIfPresent(validUntil, forKey: .validUntil)
        try container.encodeIfPresent(source, forKey: .source)
        try container.encodeIfPresent(unsourced, forKey: .unsourced)
        try container.encodeIfPresent(note, forKey: .note)
    }

    public static func == (lhs: ParameterTrace, rhs: ParameterTrace) -> Bool {
        lhs.name == rhs.name && lhs.label == rhs.label && lhs.unit == rhs.unit && lhs.entry == rhs.entry
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
