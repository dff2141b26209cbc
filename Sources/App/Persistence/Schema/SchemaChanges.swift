import Eligibility
import Fluent

/// The schema's changes, in the order of their file numbers. Append only: Fluent records each by its
/// `name` (the type's first name, kept when a type is renamed).
enum SchemaChanges {
    static func all(catalog: Catalog, backend: any DatabaseBackend) -> [any Migration] {
        [
            CreateClient(),
            CreateProduitEligible(),
            CreateTemporarySession(),
            CreateTemporaryResponse(),
            CreateTemporaryEligibility(),
            CreateSimulation(),
            CreateClientProduitEligible(),
            CreateAccessToken(),
            CreateAuditEvent(),
            CreateQuestionnaireQuestion(),
            UpdateTemporarySessionAddMigrationResult(),
            InstallSQLFunctions(backend: backend),
            UseLZ4ForJSONColumns(backend: backend),
            ReinstallSQLFunctionsSetBased(backend: backend),
            DropTemporarySessionStatusIndex(),
            AddSessionMigrationDocuments(catalog: catalog, backend: backend),
            ReinstallSQLFunctionsCopyingDocuments(backend: backend),
            KeepDocumentsInTheirRows(backend: backend),
            ReinstallSQLFunctionsTimeoutFromSetting(backend: backend),
            CreateLoginThrottle(),
            IndexAccessTokenExpiry(),
            CreatePurgedSessionTallies(),
            IndexUnmigratedSessions(),
            AddSessionMigrationPlan(),
            CreateSessionMigrationRefusal(),
            CreatePurgedSessionProductDay(),
            CreateOperatorBatch(),
        ]
    }
}
