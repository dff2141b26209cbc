import Fluent
import SQLKit

struct CreateClientProduitEligible: AsyncMigration {
    var name: String { "App.CreateClientProduitEligible" }
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
        try await database.sql.create(index: "ClientProduitEligible_simulationId_idx")
            .on(ClientProduitEligible.schema).column("simulationId").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ClientProduitEligible.schema).delete()
    }
}
