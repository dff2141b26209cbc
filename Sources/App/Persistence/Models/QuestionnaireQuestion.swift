import Fluent
import Foundation

/// The catalog's questions, kept in step at start-up, so SQL (the migration function, reports) can
/// show each answer with its French text.
final class QuestionnaireQuestion: Model, @unchecked Sendable {
    static let schema = "QuestionnaireQuestion"

    @ID(key: .id) var id: UUID?
    @Field(key: "question_id") var questionID: String
    @Field(key: "question_order") var order: Int
    @Field(key: "question_text") var text: String
    @Field(key: "question_type") var type: String
    @Field(key: "section") var section: String

    init() {}
}
