import Foundation

/// How the console says the codes it shows, in French.
enum ConsoleWords {
    static func outcome(_ code: String) -> String {
        ["migrated": "Rattachée", "refused": "Refusée", "failed": "Échouée"][code] ?? code
    }

    /// Who asked: the visitor signing up, the client, an operator (by email), the command line.
    static func actor(_ entry: ConsoleQueries.MigrationEntry, people: [UUID: Client]) -> String {
        switch entry.actorType {
        case "signup": return "Le visiteur, en créant son compte"
        case "client": return "Le client, depuis son espace"
        case "operator":
            let email = entry.actorID.flatMap { people[$0]?.email } ?? "compte supprimé"
            return (entry.path == "batch" ? "Un lot CSV de l'opérateur " : "L'opérateur ") + email
        case "cli": return entry.path == "batch" ? "Un lot en ligne de commande" : "La ligne de commande"
        default: return entry.actorType
        }
    }

    /// A product's outcome in a migration.
    static func productOutcome(_ code: String) -> String {
        ["created": "Ajouté", "updated": "Mis à jour", "kept": "Conservé", "not_eligible": "Non rattaché"][code] ?? code
    }

    static func sessionStatus(_ status: String) -> String {
        switch SessionStatus(rawValue: status) {
        case .inProgress?: return "En cours"
        case .completed?: return "Terminée"
        case .migrated?: return "Migrée"
        case .abandoned?: return "Abandonnée"
        case nil: return status
        }
    }

    /// The French sentence of a migration's refusal code, when the application has one.
    static func refusal(_ code: String) -> String? {
        SessionMigrationTexts.all.first { $0.code == code }?.message
            ?? [
                AppError.emailAlreadyRegistered, AppError.migrationConflict, AppError.databaseBusy, AppError.databaseUnavailable,
                AppError.internalError,
            ].first { $0.code == code }?.message
    }

    /// The first eight characters of an id: enough to tell sessions apart, nothing secret.
    static func reference(_ id: UUID) -> String {
        String(id.uuidString.prefix(8)).lowercased()
    }
}
