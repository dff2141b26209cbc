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
    let recommendations: AdviceList
    let riskFactors: AdviceList
    /// Every question the product reads, in questionnaire order.
    let relevantQuestions: [Int]
    /// The questions its eligibility conditions read.
    let gateQuestions: [Int]
    /// The questions its savings formula reads.
    let savingsQuestions: [Int]
    /// Every condition of the gates, contributions and advice, flat (see ``ConditionProgram``), with
    /// the position of each: per gate; per contribution (-1 without a condition); per status, per
    /// conditional advice item.
    let program: ConditionProgram
    let gateRoots: [Int]
    let contributionRoots: [Int]
    let recommendationRoots: [[Int]]
    let riskFactorRoots: [[Int]]

    init(
        code: String, name: String, category: String, description: String, sources: [SourceDefinition],
        gates: [Gate], contributions: [Contribution], savings: Savings, recommendations: [Advice], riskFactors: [Advice],
        relevantQuestions: [Int], gateQuestions: [Int], savingsQuestions: [Int]
    ) {
        self.code = code
        self.name = name
        self.category = category
        self.description = description
        self.sources = sources
        self.gates = gates
        self.contributions = contributions
        self.savings = savings
        let recommendationList = AdviceList(recommendations)
        let riskFactorList = AdviceList(riskFactors)
        self.recommendations = recommendationList
        self.riskFactors = riskFactorList
        var trees = gates.map(\.condition)
        trees += contributions.compactMap(\.condition)
        for list in [recommendationList, riskFactorList] { for status in list.statuses { trees += status.conditions } }
        let program = ConditionProgram(trees)
        var next = program.roots.makeIterator()
        gateRoots = gates.map { _ in next.next()! }
        contributionRoots = contributions.map { $0.condition == nil ? -1 : next.next()! }
        recommendationRoots = recommendationList.statuses.map { $0.conditions.map { _ in next.next()! } }
        riskFactorRoots = riskFactorList.statuses.map { $0.conditions.map { _ in next.next()! } }
        self.program = program
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
        /// Name, label and note as traces show them.
        let wording: VariableLabel
        /// Parameters each formula of this local reads (per `choose` case, then `otherwise`; or the step's).
        let parameterReads: [[ParameterRead]]

        init(name: String, label: String, kind: Kind, note: String?, questions: [Int]) {
            self.name = name
            self.label = label
            self.kind = kind
            self.note = note
            self.questions = questions
            wording = VariableLabel(name: name, label: label, note: note)
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
            case choose(
                cases: [(condition: Condition, expression: Expression, formula: String)],
                otherwise: (expression: Expression, formula: String)?)
            case step(expression: Expression, formula: String)
        }
    }

    struct Advice: Sendable {
        let text: String
        let condition: Condition?
        /// Bit per ``EligibilityStatus`` case; all bits when the catalog names none.
        let statuses: UInt8
    }

    /// Advice sorted by status when the catalog loads. For each status and each combination of its
    /// conditional items, the list of texts is built once: a result then holds a shared array instead
    /// of building one (beyond `maximumConditional` conditional items, the list is built per result).
    struct AdviceList: Sendable {
        static let maximumConditional = 6

        struct ForStatus: Sendable {
            /// The items that apply to the status, in catalog order.
            let items: [Advice]
            /// The conditions of the conditional items, in order.
            let conditions: [Condition]
            /// Indexed by the bit set of `conditions` that hold; empty beyond `maximumConditional`.
            let lists: [[String]]
        }

        /// In `EligibilityStatus.allCases` order.
        let statuses: [ForStatus]

        init(_ advice: [Advice]) {
            statuses = EligibilityStatus.allCases.map { status in
                let items = advice.filter { $0.statuses & status.bit != 0 }
                let conditions = items.compactMap(\.condition)
                var lists: [[String]] = []
                if conditions.count <= Self.maximumConditional {
                    lists = (0..<(1 << conditions.count)).map { held in
                        var position = 0
                        var texts: [String] = []
                        for item in items {
                            if item.condition == nil {
                                texts.append(item.text)
                            } else {
                                if held & (1 << position) != 0 { texts.append(item.text) }
                                position += 1
                            }
                        }
                        return texts
                    }
                }
                return ForStatus(items: items, conditions: conditions, lists: lists)
            }
        }
    }
}
