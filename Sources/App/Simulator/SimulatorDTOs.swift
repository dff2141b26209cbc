import Eligibility
import Vapor

struct SessionCreatedDTO: Content {
    var success = true
    let sessionToken: String
    let status: SessionStatus
    let expiresAt: Date
    let rulesetVersion: String

    enum CodingKeys: String, CodingKey {
        case success, status
        case sessionToken = "session_token"
        case expiresAt = "expires_at"
        case rulesetVersion = "ruleset_version"
    }
}

struct AnswersInput: Content {
    /// A null value removes the answer.
    let answers: [String: AnswerValue?]
}

struct AbandonInput: Content {
    let reason: String?
}

struct SessionStateDTO: Content {
    var success = true
    let status: SessionStatus
    let createdAt: Date
    let expiresAt: Date
    let completedAt: Date?
    let rulesetVersion: String?
    let answers: [String: AnswerValue]
    let visibleQuestions: [String]
    let missingRequired: [String]
    let nextQuestions: [String]
    let ignoredAnswers: [String]
    let answeredCount: Int
    let visibleCount: Int
    let progress: Int
    let isComplete: Bool

    enum CodingKeys: String, CodingKey {
        case success, status, answers, progress
        case createdAt = "created_at"
        case expiresAt = "expires_at"
        case completedAt = "completed_at"
        case rulesetVersion = "ruleset_version"
        case visibleQuestions = "visible_questions"
        case missingRequired = "missing_required"
        case nextQuestions = "next_questions"
        case ignoredAnswers = "ignored_answers"
        case answeredCount = "answered_count"
        case visibleCount = "visible_count"
        case isComplete = "is_complete"
    }

    init(session: TemporarySession, answers: [String: AnswerValue], flow: QuestionnaireState) {
        status = session.status
        createdAt = session.createdAt
        expiresAt = session.expiresAt
        completedAt = session.completedAt
        rulesetVersion = session.rulesetVersion
        self.answers = answers
        visibleQuestions = flow.visibleQuestions
        missingRequired = flow.missingRequired
        nextQuestions = flow.nextQuestions
        ignoredAnswers = flow.ignoredAnswers
        answeredCount = flow.answeredCount
        visibleCount = flow.visibleCount
        progress = flow.progress
        isComplete = flow.isComplete
    }
}

struct ProductResultDTO: Content, Equatable {
    let productCode: String
    let productName: String
    let score: Int
    let status: String
    let estimatedSavings: Double
    let savingsEstimated: Bool
    let confidenceLevel: String
    let recommendations: [String]
    let riskFactors: [String]
    let missingInputs: [String]
    let calculationDetails: CalculationDetails

    enum CodingKeys: String, CodingKey {
        case score, status, recommendations
        case productCode = "product_code"
        case productName = "product_name"
        case estimatedSavings = "estimated_savings"
        case savingsEstimated = "savings_estimated"
        case confidenceLevel = "confidence_level"
        case riskFactors = "risk_factors"
        case missingInputs = "missing_inputs"
        case calculationDetails = "calculation_details"
    }

    init(
        productCode: String, productName: String, score: Int, status: String, estimatedSavings: Double, savingsEstimated: Bool,
        confidenceLevel: String, recommendations: [String], riskFactors: [String], missingInputs: [String],
        calculationDetails: CalculationDetails
    ) {
        self.productCode = productCode
        self.productName = productName
        self.score = score
        self.status = status
        self.estimatedSavings = estimatedSavings
        self.savingsEstimated = savingsEstimated
        self.confidenceLevel = confidenceLevel
        self.recommendations = recommendations
        self.riskFactors = riskFactors
        self.missingInputs = missingInputs
        self.calculationDetails = calculationDetails
    }

    init(_ row: TemporaryEligibility, productName: String) {
        self.init(StoredProductResult(row, productName: productName))
    }

    init(_ stored: StoredProductResult) {
        self.init(
            productCode: stored.productCode, productName: stored.productName, score: stored.score, status: stored.status,
            estimatedSavings: stored.estimatedSavings, savingsEstimated: stored.savingsEstimated,
            confidenceLevel: stored.confidenceLevel, recommendations: stored.recommendations, riskFactors: stored.riskFactors,
            missingInputs: stored.missingInputs, calculationDetails: stored.calculationDetails)
    }
}

struct ResultsDTO: Content {
    var success = true
    let status: SessionStatus
    let rulesetVersion: String
    let evaluatedOn: String
    let results: [ProductResultDTO]
    let totalEstimatedSavings: Double

    enum CodingKeys: String, CodingKey {
        case success, status, results
        case rulesetVersion = "ruleset_version"
        case evaluatedOn = "evaluated_on"
        case totalEstimatedSavings = "total_estimated_savings"
    }
}

struct QuestionnaireDTO: Content {
    var success = true
    let rulesetVersion: String
    let sections: [Section]
    let questions: [QuestionDTO]

    enum CodingKeys: String, CodingKey {
        case success, sections, questions
        case rulesetVersion = "ruleset_version"
    }
}

struct QuestionDTO: Content {
    let id: String
    let text: String
    let help: String?
    let type: QuestionType
    let section: String
    let order: Int
    let importance: Int
    let required: Bool
    let options: [Question.Option]
    let minChoices: Int?
    let maxChoices: Int?
    let unit: String?
    let minimum: Double?
    let maximum: Double?
    let integer: Bool
    let maxLength: Int?
    let visibleWhen: ConditionDefinition?

    enum CodingKeys: String, CodingKey {
        case id, text, help, type, section, order, importance, required, options, unit, minimum, maximum, integer
        case minChoices = "min_choices"
        case maxChoices = "max_choices"
        case maxLength = "max_length"
        case visibleWhen = "visible_when"
    }

    init(_ question: Question) {
        id = question.id
        text = question.text
        help = question.help
        type = question.type
        section = question.section
        order = question.order
        importance = question.importance
        required = question.isRequired
        options = question.options
        minChoices = question.minChoices
        maxChoices = question.maxChoices
        unit = question.unit
        minimum = question.minimum
        maximum = question.maximum
        integer = question.isInteger
        maxLength = question.type == .text ? question.maxLength : nil
        visibleWhen = question.visibleWhen
    }
}
