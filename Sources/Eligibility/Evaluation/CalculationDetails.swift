/// A trace a person can follow: each condition and contribution with the answers it read,
/// each formula step with the parameter values, their dates and sources.
///
/// An evaluation records only what it computed (each condition's outcome, each formula value) next to
/// references to the catalog and the evaluation's answers (``EvaluatedTrace``); the entries people
/// read are built from them when asked for or encoded. A trace read back from JSON holds its entries.
public struct CalculationDetails: Sendable, Codable, Equatable {
    /// One of the two is set. (Two optionals rather than an enum with two payloads: a plain layout.)
    struct Storage: Sendable {
        var evaluated: EvaluatedTrace?
        /// Read back from JSON; the missing inputs travel next to the details (see ``ProductResult``).
        var expanded: (details: Expanded, missingInputs: [String])?
    }

    /// The trace's JSON form, in this order.
    struct Expanded: Sendable, Equatable, Codable {
        let rulesetVersion: String
        let evaluatedOn: CalendarDay
        let answers: [AnswerUsed]
        let conditions: [ConditionTrace]
        let contributions: [ContributionTrace]
        let rawScore: Int
        let savings: SavingsTrace
        let confidence: ConfidenceTrace

        enum CodingKeys: String, CodingKey {
            case answers, conditions, contributions, savings, confidence
            case rulesetVersion = "ruleset_version"
            case evaluatedOn = "evaluated_on"
            case rawScore = "raw_score"
        }
    }

    let storage: Storage

    init(_ trace: EvaluatedTrace) { storage = Storage(evaluated: trace, expanded: nil) }

    init(_ expanded: Expanded, missingInputs: [String]) { storage = Storage(evaluated: nil, expanded: (expanded, missingInputs)) }

    public var rulesetVersion: String {
        if let trace = storage.evaluated { return trace.inputs.rulesetVersion }
        return storage.expanded!.details.rulesetVersion
    }

    public var evaluatedOn: CalendarDay {
        if let trace = storage.evaluated { return trace.inputs.day }
        return storage.expanded!.details.evaluatedOn
    }

    /// The answers this product read (visible and answered), in questionnaire order.
    public var answers: [AnswerUsed] {
        if let trace = storage.evaluated { return trace.answers }
        return storage.expanded!.details.answers
    }

    public var conditions: [ConditionTrace] {
        if let trace = storage.evaluated { return trace.conditions }
        return storage.expanded!.details.conditions
    }

    public var contributions: [ContributionTrace] {
        if let trace = storage.evaluated { return trace.contributions }
        return storage.expanded!.details.contributions
    }

    /// Sum of the points before it is kept within 0–100.
    public var rawScore: Int {
        if let trace = storage.evaluated { return trace.rawScore }
        return storage.expanded!.details.rawScore
    }

    public var savings: SavingsTrace {
        if let trace = storage.evaluated { return trace.savings }
        return storage.expanded!.details.savings
    }

    public var confidence: ConfidenceTrace {
        if let trace = storage.evaluated { return trace.confidence }
        return storage.expanded!.details.confidence
    }

    /// Ids of the questions the product would need that are not answered.
    var missingInputs: [String] {
        if let trace = storage.evaluated { return trace.missingInputs }
        return storage.expanded!.missingInputs
    }

    /// The same details carrying `missingInputs` (read from beside them in JSON).
    func carrying(missingInputs: [String]) -> CalculationDetails {
        CalculationDetails(expanded, missingInputs: missingInputs)
    }

    var expanded: Expanded {
        if let trace = storage.evaluated {
            return Expanded(
                rulesetVersion: trace.inputs.rulesetVersion, evaluatedOn: trace.inputs.day,
                answers: trace.answers, conditions: trace.conditions, contributions: trace.contributions,
                rawScore: trace.rawScore, savings: trace.savings, confidence: trace.confidence)
        }
        return storage.expanded!.details
    }

    public init(from decoder: Decoder) throws {
        self.init(try Expanded(from: decoder), missingInputs: [])
    }

    public func encode(to encoder: Encoder) throws {
        try expanded.encode(to: encoder)
    }

    /// Equal when a person would read the same trace, however each side is held.
    public static func == (lhs: CalculationDetails, rhs: CalculationDetails) -> Bool {
        lhs.expanded == rhs.expanded
    }
}
