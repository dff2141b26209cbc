import Eligibility
import Fluent
import Vapor

/// What every start does to the database before serving (`configure`), and what `passerelle migrate`
/// does as a deploy step: under a lock held across processes, so that servers started together on a
/// fresh database do it once, it refuses a database whose schema is newer than this build, applies
/// the pending schema changes, installs the SQL functions whose text changed and brings the catalog's
/// tables in step.
enum SchemaStep {
    /// What a run applied, by name, in order.
    struct Report: Sendable {
        let applied: [String]
    }

    /// Gives Fluent the schema changes; once per application, before `run`.
    static func register(on app: Application, backend: any DatabaseBackend, catalog: Catalog) {
        app.migrations.add(SchemaChanges.all(catalog: catalog, backend: backend))
    }

    static func run(
        app: Application, backend: any DatabaseBackend, catalog: Catalog, applyPending: Bool,
        now: Date
    ) async throws -> Report {
        let changes = SchemaChanges.all(catalog: catalog, backend: backend)
        return try await backend.withSchemaLock(app: app) {
            try await backend.prepare(on: app.db.sql)
            try await app.migrator.setupIfNeeded().get()
            let applied = Set(try await MigrationLog.query(on: app.db).all().map(\.name))
            let known = changes.map(\.name)
            let unknown = applied.subtracting(known).sorted()
            guard unknown.isEmpty else { throw StartupError.schemaNewerThanCode(unknown) }
            let pending = known.filter { !applied.contains($0) }
            if !pending.isEmpty {
                guard applyPending else { throw StartupError.schemaBehind(pending.count) }
                try await app.autoMigrate()
            }
            try await backend.installFunctions(on: app.db.sql)
            try await backend.write(on: app.db) { database in try await CatalogSync.run(catalog, on: database, now: now) }
            return Report(applied: pending)
        }
    }
}

extension SchemaStep {
    /// Whether the database holds exactly this build's schema changes (no more, none missing).
    static func isCurrent(app: Application, on database: any Database) async throws -> Bool {
        let known = Set(SchemaChanges.all(catalog: app.catalog, backend: app.backend).map(\.name))
        let applied = Set(try await MigrationLog.query(on: database).all().map(\.name))
        return known == applied
    }
}

extension StartupError {
    static func schemaNewerThanCode(_ names: [String]) -> StartupError {
        StartupError(
            message: "Le schéma de la base est plus récent que ce programme : il contient \(names.count) changement(s) que "
                + "cette version ne connaît pas (\(names.joined(separator: ", "))). Démarrez la version de Passerelle qui les a appliqués, "
                + "ou une plus récente.")
    }

    static func schemaBehind(_ count: Int) -> StartupError {
        StartupError(
            message: "Le schéma de la base n'est pas à jour : \(count) changement(s) en attente. "
                + "Lancez « passerelle migrate », ou démarrez avec AUTO_MIGRATE=true.")
    }
}
