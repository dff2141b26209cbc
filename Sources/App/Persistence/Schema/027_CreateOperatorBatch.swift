import Fluent

/// The CSV batches operators upload in the console: who, when, how far, and the report.
struct CreateOperatorBatch: AsyncMigration {
    var name: String { "App.CreateOperatorBatch" }

    func prepare(on database: any Database) async throws {
        try await database.schema(OperatorBatch.schema)
            .id()
            .field("operator_id", .uuid, .required)
            .field("file_name", .string, .required)
            .field("status", .string, .required)
            .field("total_rows", .int, .required)
            .field("done_rows", .int, .required)
            .field("report", .string, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OperatorBatch.schema).delete()
    }
}
