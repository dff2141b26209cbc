import Fluent
import SQLKit

struct CreateQuestionnaireQuestion: AsyncMigration {
    var name: String { "App.CreateQuestionnaireQuestion" }
    func prepare(on database: any Database) async throws {
        try await database.schema(QuestionnaireQuestion.schema)
            .id()
            .field("question_id", .string, .required)
            .field("question_order", .int, .required)
            .field("question_text", .string, .required)
            .field("question_type", .string, .required)
            .field("section", .string, .required)
            .unique(on: "question_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(QuestionnaireQuestion.schema).delete()
    }
}
