/// A question of the simulator, checked and ready to validate answers.
public final class Question: Sendable {
    public let id: String
    public let text: String
    public let help: String?
    public let type: QuestionType
    public let section: String
    public let order: Int
    /// 1 (detail) to 5 (decisive): weighs the question in confidence and in which question comes next.
    public let importance: Int
    public let isRequired: Bool
    public let options: [Option]
    public let minChoices: Int?
    public let maxChoices: Int?
    public let unit: String?
    public let minimum: Double?
    public let maximum: Double?
    public let isInteger: Bool
    public let maxLength: Int
    /// The condition as written in the catalog, for clients that render the questionnaire.
    public let visibleWhen: ConditionDefinition?
    let visibility: Condition?
    let optionIndex: [String: Int]

    public struct Option: Sendable, Codable, Hashable {
        public let id: String
        public let label: String
    }

    init(
        id: String, text: String, help: String?, type: QuestionType, section: String, order: Int, importance: Int,
        isRequired: Bool, options: [Option], minChoices: Int?, maxChoices: Int?, unit: String?, minimum: Double?,
        maximum: Double?, isInteger: Bool, maxLength: Int, visibleWhen: ConditionDefinition?, visibility: Condition?,
        optionIndex: [String: Int]
    ) {
        self.id = id
        self.text = text
        self.help = help
        self.type = type
        self.section = section
        self.order = order
        self.importance = importance
        self.isRequired = isRequired
        self.options = options
        self.minChoices = minChoices
        self.maxChoices = maxChoices
        self.unit = unit
        self.minimum = minimum
        self.maximum = maximum
        self.isInteger = isInteger
        self.maxLength = maxLength
        self.visibleWhen = visibleWhen
        self.visibility = visibility
        self.optionIndex = optionIndex
    }
}

/// A titled group of questions asked together.
public struct Section: Sendable, Codable, Hashable {
    public let id: String
    public let title: String
}
