import Vapor

/// `passerelle purge-sessions [--retention-days N]`: deletes the sessions that expired more than N
/// days ago (`SESSION_RETENTION_DAYS` by default) and were never migrated; the server does the same
/// every `SESSION_PURGE_INTERVAL_MINUTES`.
struct PurgeSessionsCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "retention-days", help: "Jours après l'expiration (SESSION_RETENTION_DAYS par défaut)")
        var retentionDays: String?
        init() {}
    }

    var help: String { "Supprime les simulations expirées et jamais rattachées ; les statistiques les comptent toujours." }

    func run(using context: CommandContext, signature: Signature) async throws {
        var retention: TimeInterval?
        if let raw = signature.retentionDays {
            let accepted = AppSettings.sessionRetentionDays
            guard let days = Int(raw), accepted.contains(days) else {
                throw CommandFailure(
                    description:
                        "--retention-days attend un nombre de jours entre \(accepted.lowerBound) et \(accepted.upperBound) (reçu : \(raw))."
                )
            }
            retention = TimeInterval(days) * 86_400
        }
        let (deleted, cutoff) = try await context.application.purgeExpiredSessions(retention: retention)
        context.console.print("\(deleted) session(s) supprimée(s) : expirées avant le \(cutoff.iso8601Seconds), jamais rattachées.")
    }
}
