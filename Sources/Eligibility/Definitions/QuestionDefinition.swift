/// A question as written in `questions.yaml`.
struct QuestionDefinition: Decodable, Sendable {
    let id: String
    let text: String
    let help: String?
    let type: QuestionType
    let section: String
    let order: Int
    let importance: Int?
    let required: Bool?
    let options: [OptionDefinition]?
    let minChoices: Int?
    let maxChoices: Int?
    let unit: String?
    let minimum: Double?
    let maximum: Double?
    let integer: Bool?
    let maxLength: Int?
    let visibleWhen: ConditionDefinition?

    enum CodingKeys: String, CodingKey {
        case id, text, help, type, section, order, importance, required, options, unit, minimum, maximum, integer
        case minChoices = "min_choices"
        case maxChoices = "max_choices"
        case maxLength = "max_length"
        case visibleWhen = "visible_when"
    }
}

struct OptionDefinition: Decodable, Sendable {
    let id: String
    let label: String
}

/// The kinds of question the simulator asks.
public enum QuestionType: String, Codable, Sendable, CaseIterable {
    case singleChoice = "single_choice"
    case multipleChoice = "multiple_choice"
    case number
    case yesNo = "yes_no"
    case text
}

struct QuestionFile: Decodable {
    let sections: [SectionDefinition]
    let questions: [QuestionDefinition]
}

struct SectionDefinition: Decodable, Sendable {
    let id: String
    let title: String
}
