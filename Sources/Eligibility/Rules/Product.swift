/// A product of the catalog, compiled: its eligibility conditions, score, savings formula and advice.
public final class Product: Sendable {
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

    init(code: String, name: String, category: String, description: String, sources: [SourceDefinition],
         gates: [Gate], contributions: [Contribution], savings: Savings, recommendations: [Advice], riskFactors: [Advice],
         relevantQuestions: [Int], gateQuestions: [Int], savingsQuestions: [Int]) {
        self.code = code
        self.name = name
        self.category = category
        self.description = description
        self.sources = sources
        self.gates = gates
        self.contributions = contributions
        self.savings = savings
        self.recommendations = recommendations
        self.riskFactors = riskFactors
        self.relevantQuestions = relevantQuestions
        self.gateQuestions = gateQuestions
        self.savingsQuestions = savingsQuestions
    }

    struct Gate: Sendable {
        let id: String
        let description: String
        let unmet: String
        let condition: Condition
        let questions: [Int]
        let label: TraceLabel
    }

    struct Contribution: Sendable {
        let id: String
        let points: Int
        let reason: String
        let condition: Condition?
        let questions: [Int]
        let label: TraceLabel
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

    final class Local: Sendable {
        let name: String
        let label: String
        let kind: Kind
        let note: String?
        let questions: [Int]
        /// Parameters each formula of this local reads (per `choose` case, then `otherwise`; or the step's).
        let parameterReads: [[Int]]

        init(name: String, label: String, kind: Kind, note: String?, questions: [Int]) {
            self.name = name
            self.label = label
            self.kind = kind
            self.note = note
            self.questions = questions
            switch kind {
            case .choose(let cases, let otherwise):
                parameterReads = cases.map { unique($0.expression.parameters) } + [unique(otherwise?.expression.parameters ?? [])]
            case .step(let expression, _):
                parameterReads = [unique(expression.parameters)]
            default:
                parameterReads = []
            }
        }

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
        /// Bit per ``EligibilityStatus`` case; all bits when the catalog names none.
        let statuses: UInt8
    }
}
