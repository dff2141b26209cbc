import Fluent
import SQLKit

struct CreateSimulation: AsyncMigration {
    var name: String { "App.CreateSimulation" }
    func prepare(on database: any Database) async throws {
        try await database.schema(Simulation.schema)
            .id()
            .field("clientId", .uuid, .required, .references(Client.schema, "id", onDelete: .cascade))
            .field("session_id", .uuid, .required, .references(TemporarySession.schema, "id", onDelete: .restrict))
            // JSON documents per answer and per result: jsonb[] on PostgreSQL, JSON text on SQLite.
            .field("answers", .array(of: .json), .required)
            .field("results", .array(of: .json), .required)
            .field("source", .string, .required)
            .field("ruleset_version", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "session_id")
            .create()
        try await database.sql.create(index: "Simulation_clientId_idx")
            .on(Simulation.schema).column("clientId").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Simulation.schema).delete()
    }
}
