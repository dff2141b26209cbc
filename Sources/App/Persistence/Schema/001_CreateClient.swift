import Fluent
import SQLKit

struct CreateClient: AsyncMigration {
    var name: String { "App.CreateClient" }
    func prepare(on database: any Database) async throws {
        try await database.schema(Client.schema)
            .id()
            .field("email", .string, .required)
            .field("password", .string, .required)
            .field("role", .string, .required)
            .field("name", .string)
            .field("company_name", .string)
            .field("phone_number", .string)
            .field("siren", .string)
            .field("address", .string)
            .field("city", .string)
            .field("postal_code", .string)
            .field("type", .string, .required)
            .field("statut", .string, .required)
            .field("secteurActivite", .string)
            .field("trancheEffectif", .string)
            .field("trancheChiffreAffaires", .string)
            .field("nombreEmployes", .int)
            .field("revenuAnnuel", .double)
            .field("dateSimulation", .datetime)
            .field("metadata", .json, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .constraint(.sql(unsafeRaw: "CHECK (role IN ('client', 'operator'))"))
            .create()
        // One account per email whatever its case; the application also stores it lower-cased.
        try await database.sql
            .raw(#"CREATE UNIQUE INDEX "Client_email_lower_key" ON "Client" (lower("email"))"#).run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Client.schema).delete()
    }
}
