import Vapor

/// `passerelle migrate`: brings the database's schema up to this build's, as a deploy step, then
/// exits. The work is the schema step every start does (`SchemaStep`), which this command runs
/// whatever `AUTO_MIGRATE` says; here it says what it applied. A database whose schema is newer than
/// this build is refused before anything is written.
struct SchemaMigrateCommand: AsyncCommand {
    struct Signature: CommandSignature {
        init() {}
    }

    var help: String { "Met le schéma de la base à jour (étape de déploiement), puis s'arrête." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let applied = context.application.schemaReport.applied
        if applied.isEmpty {
            context.console.print("Schéma déjà à jour : aucun changement à appliquer.")
        } else {
            context.console.print("Schéma mis à jour : \(applied.count) changement(s) appliqué(s).")
            for name in applied { context.console.print("  \(name)") }
        }
    }
}
