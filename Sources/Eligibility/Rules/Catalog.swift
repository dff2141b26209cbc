import Foundation

/// The questionnaire, the parameters and the products, loaded from the catalog files and checked.
/// Immutable and `Sendable`: load it once and share it.
public final class Catalog: Sendable {
    public let title: String
    public let ruleset: RulesetVersion
    public let sections: [Section]
    /// In questionnaire order.
    public let questions: [Question]
    public let parameters: [Parameter]
    public let products: [Product]
    let questionIndex: [String: Int]
    /// Per question, how much each product's outcome can depend on it (see ``QuestionnaireFlow``).
    let influence: [[Int]]
    /// Per question, flat copies of what the evaluation loop reads, so it touches no question object.
    let visibilityParents: [[Int]]
    let importances: [Int]
    let questionIDs: [String]
    /// The questions' visibility conditions, flat, and the position of each (-1: always visible).
    let visibilityProgram: ConditionProgram
    let visibilityRoots: [Int]
    /// `ruleset.identifier`, built once: every result carries it.
    let rulesetIdentifier: String
    /// The parameter values in force, per period (see ``ParameterPeriod``).
    let parameterPeriods: [ParameterPeriod]

    init(
        title: String, ruleset: RulesetVersion, sections: [Section], questions: [Question], parameters: [Parameter],
        products: [Product], questionIndex: [String: Int], influence: [[Int]]
    ) {
        self.title = title
        self.ruleset = ruleset
        self.sections = sections
        self.questions = questions
        self.parameters = parameters
        self.products = products
        self.questionIndex = questionIndex
        self.influence = influence
        self.visibilityParents = questions.map { $0.visibility?.questions ?? [] }
        self.importances = questions.map(\.importance)
        self.questionIDs = questions.map(\.id)
        self.rulesetIdentifier = ruleset.identifier
        self.parameterPeriods = ParameterPeriod.periods(of: parameters)
        let program = ConditionProgram(questions.compactMap(\.visibility))
        var next = program.roots.makeIterator()
        self.visibilityRoots = questions.map { $0.visibility == nil ? -1 : next.next()! }
        self.visibilityProgram = program
    }

    public func question(id: String) -> Question? {
        questionIndex[id].map { questions[$0] }
    }

    public func product(code: String) -> Product? {
        products.first { $0.code == code }
    }
}

/// Which rules produced a result: the version people talk about, and a hash of the catalog's content.
public struct RulesetVersion: Sendable, Codable, Hashable, CustomStringConvertible {
    public let version: String
    /// SHA-256 of the catalog files, in hexadecimal.
    public let contentHash: String

    /// `version+first 12 hex digits of the hash`, e.g. `2026.11.1+3f9a0c2b7d41`.
    public var identifier: String { "\(version)+\(contentHash.prefix(12))" }
    public var description: String { identifier }

    enum CodingKeys: String, CodingKey {
        case version
        case contentHash = "content_hash"
    }
}
