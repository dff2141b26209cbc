import Eligibility
import Fluent
import Foundation

/// A client's record of a whole simulation: every answer and every result.
final class Simulation: Model, @unchecked Sendable {
    static let schema = "Simulation"

    @ID(key: .id) var id: UUID?
    @Parent(key: "clientId") var client: Client
    @Parent(key: "session_id") var session: TemporarySession
    @Field(key: "answers") var answers: [SimulationAnswer]
    @Field(key: "results") var results: [StoredProductResult]
    @Field(key: "source") var source: String
    @Field(key: "ruleset_version") var rulesetVersion: String
    @Field(key: "created_at") var createdAt: Date

    init() {}
}

struct SimulationAnswer: Codable, Sendable, Equatable {
    let questionID: String
    let questionText: String
    let questionType: String
    let responseValue: AnswerValue

    enum CodingKeys: String, CodingKey {
        case questionID = "question_id"
        case questionText = "question_text"
        case questionType = "question_type"
        case responseValue = "response_value"
    }
}
