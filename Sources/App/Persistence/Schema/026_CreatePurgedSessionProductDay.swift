import Fluent

/// What the purge keeps of each product's results per day of creation, so the figures of a period
/// (`ConversionPeriod`) still count the sessions it deleted. Sessions purged before this table
/// existed are in `PurgedSessionProduct` only, without a day.
struct CreatePurgedSessionProductDay: AsyncMigration {
    var name: String { "App.CreatePurgedSessionProductDay" }

    func prepare(on database: any Database) async throws {
        try await database.schema(SessionPurge.productDayTally)
            .field("day", .string, .required)
            .field("produit_id", .string, .required)
            .field("eligible_sessions", .int64, .required)
            .field("potentially_eligible_sessions", .int64, .required)
            .unique(on: "day", "produit_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(SessionPurge.productDayTally).delete()
    }
}
