import Eligibility
import Fluent
import Foundation

/// One answer of a session; one row per (session, question).
final class TemporaryResponse: Model, @unchecked Sendable {
    static let schema = "TemporaryResponse"

    @ID(key: .id) var id: UUID?
    @Parent(key: "session_id") var session: TemporarySession
    @Field(key: "question_id") var questionID: String
    /// `{"value": …}`: a JSON object, so the column is `jsonb` on PostgreSQL whatever the answer's type.
    @Field(key: "response_value") var responseValue: StoredResponseValue
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    init(sessionID: UUID, questionID: String, value: AnswerValue, now: Date) {
        self.$session.id = sessionID
        self.questionID = questionID
        self.responseValue = StoredResponseValue(value: value)
        self.createdAt = now
        self.updatedAt = now
    }

    /// A session's stored answers by question id.
    static func answers(ofSession sessionID: UUID, on database: any Database) async throws -> [String: AnswerValue] {
        let rows = try await query(on: database).filter(\.$session.$id == sessionID).all()
        return Dictionary(rows.map { ($0.questionID, $0.responseValue.value) }, uniquingKeysWith: { first, _ in first })
    }
}

struct StoredResponseValue: Codable, Sendable, Equatable {
    var value: AnswerValue
}
