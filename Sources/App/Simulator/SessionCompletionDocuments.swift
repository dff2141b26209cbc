import Eligibility
import Foundation
import SQLKit

/// Documents another feature keeps beside a completed session's results, written in the same
/// transaction. The session migration keeps there what it will copy (`SessionMigrationDocumentStore`);
/// the simulator knows only this protocol, given to it where the services are built.
protocol SessionCompletionDocuments: Sendable {
    /// The `TemporaryEligibility` column a result's document goes in.
    var resultColumn: String { get }

    /// A result's document; nil when it has none.
    func document(for row: TemporaryEligibility, sessionID: UUID) throws -> JSONDocument?

    /// The session's own documents, once its results are written.
    func store(answers: [String: AnswerValue], results: [TemporaryEligibility], sessionID: UUID, on sql: any SQLDatabase) async throws
}
