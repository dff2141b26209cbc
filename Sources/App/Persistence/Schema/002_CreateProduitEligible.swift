import Fluent
import SQLKit

struct CreateProduitEligible: AsyncMigration {
    var name: String { "App.CreateProduitEligible" }
    func prepare(on database: any Database) async throws {
        try await database.schema(ProduitEligible.schema)
            .id()
            .field("code", .string, .required)
            .field("nom", .string, .required)
            .field("description", .string, .required)
            .field("categorie", .string, .required)
            .field("active", .bool, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "code")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ProduitEligible.schema).delete()
    }
}
