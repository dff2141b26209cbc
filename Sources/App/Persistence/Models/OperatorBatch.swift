import Fluent
import Foundation

/// A CSV batch an operator uploaded: its rows are migrated in the background
/// (`OperatorBatchRunner`), `doneRows` grows as they are, and `report` holds each row's outcome.
final class OperatorBatch: Model, @unchecked Sendable {
    static let schema = "OperatorBatch"

    @ID(key: .id) var id: UUID?
    @Field(key: "operator_id") var operatorID: UUID
    @Field(key: "file_name") var fileName: String
    @Field(key: "status") var status: Status
    @Field(key: "total_rows") var totalRows: Int
    @Field(key: "done_rows") var doneRows: Int
    /// `[BatchReportRow]` as JSON text, in line order; complete once the status is `done`.
    @Field(key: "report") var report: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date

    enum Status: String, Codable, Sendable {
        case running
        case done
        /// The server stopped before the last row: the rows not in the report were not attempted.
        case interrupted
    }

    init() {}

    init(operatorID: UUID, fileName: String, totalRows: Int, report: [BatchReportRow], now: Date) throws {
        self.operatorID = operatorID
        self.fileName = fileName
        self.status = .running
        self.totalRows = totalRows
        self.doneRows = 0
        self.report = try BatchReportRow.encode(report)
        self.createdAt = now
        self.updatedAt = now
    }

    var reportRows: [BatchReportRow] {
        (try? JSONDecoder().decode([BatchReportRow].self, from: Data(report.utf8))) ?? []
    }
}

/// One row of a batch's report: its line in the file, the client's email as written there, and
/// what happened. Never the session's token.
struct BatchReportRow: Codable, Sendable, Equatable {
    let line: Int
    let email: String
    /// `migrated`, `already_migrated` or `refused`.
    let outcome: String
    let detail: String

    static func encode(_ rows: [BatchReportRow]) throws -> String {
        String(decoding: try JSONEncoder().encode(rows), as: UTF8.self)
    }
}
