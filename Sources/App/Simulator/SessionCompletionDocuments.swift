import Eligibility
import Foundation
import SQLKit

/// Documents another feature keeps beside a completed session's results, written in the same
/// transaction. The session migration keeps there what it will copy (`SessionMigrationDocumentStore`);
/// the simulator knows only this protocol, given to it where the services are built.
protocol SessionCompletionDocuments: Sendable {
    /// The `TemporaryEligibility` columns kept beside each result.
    var resultColumns: [String] { get }

    /// A result's values for those columns, in their order (nulls where it has none).
    func values(for row: TemporaryEligibility, sessionID: UUID) throws -> [any Encodable & Sendable]

    /// The session's own documents, once its results are written.
    func store(answers: [String: AnswerValue], results: [TemporaryEligibility], sessionID: UUID, on sql: any SQLDatabase) async throws
}
