import Fluent
import Vapor

/// The schema's migrations, in order. Append only: Fluent remembers each by name.
enum Migrations {
    static func register(on app: Application) {
        app.migrations.add(CreateClient())
        app.migrations.add(CreateProduitEligible())
        app.migrations.add(CreateTemporarySession())
        app.migrations.add(CreateTemporaryResponse())
        app.migrations.add(CreateTemporaryEligibility())
        app.migrations.add(CreateSimulation())
        app.migrations.add(CreateClientProduitEligible())
        app.migrations.add(CreateAccessToken())
        app.migrations.add(CreateAuditEvent())
        app.migrations.add(CreateQuestionnaireQuestion())
        app.migrations.add(UpdateTemporarySessionAddMigrationResult())
        app.migrations.add(CreateMigrateSimulatorFunction())
        app.migrations.add(UseLZ4ForJSONColumns())
        app.migrations.add(ReinstallMigrationFunctions.setBased)
        app.migrations.add(DropTemporarySessionStatusIndex())
        app.migrations.add(AddMigrationDocuments(catalog: app.catalog))
        app.migrations.add(ReinstallMigrationFunctions.documentsCopiedAsStored)
        app.migrations.add(KeepDocumentsInTheirRows())
        app.migrations.add(ReinstallMigrationFunctions.timeoutFromSetting)
        app.migrations.add(CreateLoginThrottle())
        app.migrations.add(IndexAccessTokenExpiry())
        app.migrations.add(CreatePurgedSessionTallies())
        app.migrations.add(IndexUnmigratedSessions())
    }
}
