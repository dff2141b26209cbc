/// A question of the simulator, checked and ready to validate answers.
public struct Question: Sendable {
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

    func label(ofOption index: Int) -> String { options[index].label }
}

/// A titled group of questions asked together.
public struct Section: Sendable, Codable, Hashable {
    public let id: String
    public let title: String
}
