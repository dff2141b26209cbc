import Fluent
import SQLKit

struct CreateTemporarySession: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(TemporarySession.schema)
            .id()
            .field("session_token_hash", .string, .required)
            .field("status", .string, .required)
            .field("ruleset_version", .string)
            .field("evaluated_on", .string)
            .field("completed_at", .datetime)
            .field("abandoned_at", .datetime)
            .field("abandon_reason", .string)
            .field("migrated_at", .datetime)
            .field("client_id", .uuid, .references(Client.schema, "id", onDelete: .restrict))
            .field("last_activity", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "session_token_hash")
            .constraint(.sql(unsafeRaw: "CHECK (status IN ('in_progress', 'completed', 'migrated', 'abandoned'))"))
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "TemporarySession_status_idx").on(TemporarySession.schema).column("status").run()
        try await sql.create(index: "TemporarySession_client_id_idx").on(TemporarySession.schema).column("client_id").run()
        try await sql.create(index: "TemporarySession_created_at_idx").on(TemporarySession.schema).column("created_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(TemporarySession.schema).delete()
    }
}

struct CreateTemporaryResponse: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(TemporaryResponse.schema)
            .id()
            .field("session_id", .uuid, .required, .references(TemporarySession.schema, "id", onDelete: .cascade))
            .field("question_id", .string, .required)
            .field("response_value", .json, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "session_id", "question_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(TemporaryResponse.schema).delete()
    }
}

struct CreateTemporaryEligibility: AsyncMigration {
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

struct CreateSimulation: AsyncMigration {
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
        try await (database as! any SQLDatabase).create(index: "Simulation_clientId_idx")
            .on(Simulation.schema).column("clientId").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Simulation.schema).delete()
    }
}

struct CreateClientProduitEligible: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ClientProduitEligible.schema)
            .id()
            .field("clientId", .uuid, .required, .references(Client.schema, "id", onDelete: .cascade))
            .field("produitId", .uuid, .required, .references(ProduitEligible.schema, "id", onDelete: .restrict))
            .field("statut", .string, .required)
            .field("tauxFinal", .double, .required)
            .field("montantFinal", .double, .required)
            .field("dureeFinale", .int, .required)
            .field("simulationId", .uuid, .references(Simulation.schema, "id", onDelete: .setNull))
            .field("metadata", .json, .required)
            .field("notes", .string)
            .field("priorite", .int, .required)
            .field("dateEligibilite", .datetime)
            .field("current_step", .int, .required)
            .field("progress", .int, .required)
            .field("expert_id", .uuid)
            .field("charte_signed", .bool, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "clientId", "produitId")
            .constraint(.sql(unsafeRaw: #"CHECK ("tauxFinal" BETWEEN 0 AND 1)"#))
            .create()
        try await (database as! any SQLDatabase).create(index: "ClientProduitEligible_simulationId_idx")
            .on(ClientProduitEligible.schema).column("simulationId").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ClientProduitEligible.schema).delete()
    }
}
