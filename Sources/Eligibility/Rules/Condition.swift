/// A compiled condition over answers. Questions and options are indices, so checking one costs
/// a few comparisons.
indirect enum Condition: Sendable {
    case all([Condition])
    case any([Condition])
    case not(Condition)
    /// Single choice: true when the chosen option's bit is in `mask`.
    case option(question: Int, mask: UInt64)
    /// Multiple choice.
    case includes(question: Int, mask: UInt64, mode: IncludeMode)
    case bool(question: Int, value: Bool)
    case number(question: Int, comparison: Comparison, value: Double)
    case text(question: Int, value: String)
    case answered(question: Int)

    enum IncludeMode: Sendable { case all, any, none }
    enum Comparison: Sendable { case equal, atLeast, atMost, greaterThan, lessThan }

    /// The questions this condition reads, in the order they appear.
    var questions: [Int] {
        switch self {
        case .all(let conditions), .any(let conditions):
            var seen: [Int] = []
            for question in conditions.flatMap(\.questions) where !seen.contains(question) { seen.append(question) }
            return seen
        case .not(let condition): return condition.questions
        case .option(let question, _), .includes(let question, _, _), .bool(let question, _),
            .number(let question, _, _), .text(let question, _), .answered(let question):
            return [question]
        }
    }

    /// Three-valued: a test on an unanswered (or hidden) question is `unknown`.
    func truth(_ answers: AnswerSheet) -> Truth {
        switch self {
        case .all(let conditions):
            var result = Truth.true
            for condition in conditions {
                switch condition.truth(answers) {
                case .false: return .false
                case .unknown: result = .unknown
                case .true: break
                }
            }
            return result
        case .any(let conditions):
            var result = Truth.false
            for condition in conditions {
                switch condition.truth(answers) {
                case .true: return .true
                case .unknown: result = .unknown
                case .false: break
                }
            }
            return result
        case .not(let condition):
            switch condition.truth(answers) {
            case .true: return .false
            case .false: return .true
            case .unknown: return .unknown
            }
        case .answered(let question):
            return answers[question] == nil ? .false : .true
        case .option(let question, let mask):
            guard case .option(let chosen)? = answers[question] else { return .unknown }
            return Truth(mask & (1 << UInt64(chosen)) != 0)
        case .includes(let question, let mask, let mode):
            guard case .options(let chosen)? = answers[question] else { return .unknown }
            switch mode {
            case .all: return Truth(chosen & mask == mask)
            case .any: return Truth(chosen & mask != 0)
            case .none: return Truth(chosen & mask == 0)
            }
        case .bool(let question, let value):
            guard case .bool(let given)? = answers[question] else { return .unknown }
            return Truth(given == value)
        case .number(let question, let comparison, let value):
            guard case .number(let given)? = answers[question] else { return .unknown }
            switch comparison {
            case .equal: return Truth(given == value)
            case .atLeast: return Truth(given >= value)
            case .atMost: return Truth(given <= value)
            case .greaterThan: return Truth(given > value)
            case .lessThan: return Truth(given < value)
            }
        case .text(let question, let value):
            guard let given = answers.text(question) else { return .unknown }
            return Truth(given == value)
        }
    }
}

/// The outcome of a condition on partial answers.
public enum Truth: String, Sendable, Codable {
    case `true` = "remplie"
    case `false` = "non_remplie"
    case unknown = "indeterminee"

    init(_ value: Bool) { self = value ? .true : .false }
}
