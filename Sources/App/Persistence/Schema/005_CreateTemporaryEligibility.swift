import Fluent
import SQLKit

struct CreateTemporaryEligibility: AsyncMigration {
    var name: String { "App.CreateTemporaryEligibility" }
    func prepare(on database: any Database) async throws {
        try await database.schema(TemporaryEligibility.schema)
            .id()
            .field("session_id", .uuid, .required, .references(TemporarySession.schema, "id", onDelete: .cascade))
            .field("produit_id", .string, .required)
            .field("eligibility_score", .int, .required)
            .field("status", .string, .required)
            .field("estimated_savings", .double, .required)
            .field("savings_estimated", .bool, .required)
            .field("confidence_level", .string, .required)
            .field("recommendations", .array(of: .string), .required)
            .field("risk_factors", .array(of: .string), .required)
            .field("missing_inputs", .array(of: .string), .required)
            .field("calculation_details", .json, .required)
            .field("ruleset_version", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "session_id", "produit_id")
            .constraint(.sql(unsafeRaw: "CHECK (eligibility_score BETWEEN 0 AND 100)"))
            .constraint(.sql(unsafeRaw: "CHECK (confidence_level IN ('low', 'medium', 'high'))"))
            .constraint(.sql(unsafeRaw: "CHECK (status IN ('eligible', 'potentiellement_eligible', 'non_eligible'))"))
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(TemporaryEligibility.schema).delete()
    }
}
