/// A product of the catalog, compiled: its eligibility conditions, score, savings formula and advice.
public struct Product: Sendable {
    public let code: String
    public let name: String
    public let category: String
    public let description: String
    public let sources: [SourceDefinition]
    let gates: [Gate]
    let contributions: [Contribution]
    let savings: Savings
    let recommendations: [Advice]
    let riskFactors: [Advice]
    /// Every question the product reads, in questionnaire order.
    let relevantQuestions: [Int]
    /// The questions its eligibility conditions read.
    let gateQuestions: [Int]
    /// The questions its savings formula reads.
    let savingsQuestions: [Int]
    /// The parameters its savings formula reads.
    let parameters: [Int]

    struct Gate: Sendable {
        let id: String
        let description: String
        let unmet: String
        let condition: Condition
        let questions: [Int]
    }

    struct Contribution: Sendable {
        let id: String
        let points: Int
        let reason: String
        let condition: Condition?
        let questions: [Int]
    }

    enum Savings: Sendable {
        case notEstimated(reason: String)
        case formula(SavingsFormula)
    }

    struct SavingsFormula: Sendable {
        /// Variables first, then steps, each reading only earlier slots.
        let locals: [Local]
        let result: Int
        let note: String?
    }

    struct Local: Sendable {
        let name: String
        let label: String
        let kind: Kind
        let note: String?
        let questions: [Int]

        enum Kind: Sendable {
            case answer(question: Int)
            case optionValues(question: Int, values: [Double?], aggregate: VariableDefinition.Aggregate)
            case boolValues(question: Int, ifTrue: Double?, ifFalse: Double?)
            case choose(cases: [(condition: Condition, expression: Expression, formula: String)], otherwise: (expression: Expression, formula: String)?)
            case step(expression: Expression, formula: String)
        }
    }

    struct Advice: Sendable {
        let text: String
        let condition: Condition?
        let statuses: Set<EligibilityStatus>?
    }
}
