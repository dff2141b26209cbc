import Fluent
import SQLKit

/// What the conversion statistics count of the sessions `SessionPurge` deleted: per day of
/// creation, and per product. Added to the live counts, the figures stay what they were.
struct CreatePurgedSessionTallies: AsyncMigration {
    var name: String { "App.CreatePurgedSessionTallies" }
    func prepare(on database: any Database) async throws {
        try await database.schema(SessionPurge.dayTally)
            .field("day", .string, .identifier(auto: false))
            .field("total_sessions", .int64, .required)
            .field("completed_sessions", .int64, .required)
            .create()
        try await database.schema(SessionPurge.productTally)
            .field("produit_id", .string, .identifier(auto: false))
            .field("completed_sessions", .int64, .required)
            .field("eligible_sessions", .int64, .required)
            .field("score_sum", .int64, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(SessionPurge.productTally).delete()
        try await database.schema(SessionPurge.dayTally).delete()
    }
}
