import Vapor

/// `passerelle migrate-session --token … --email …`: attaches a completed session to an existing client.
struct MigrateSessionCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "token", help: "Jeton de la session de simulation")
        var token: String?
        @Option(name: "email", help: "E-mail du client existant")
        var email: String?
        init() {}
    }

    var help: String { "Rattache une simulation terminée à un client existant." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let token = signature.token, !token.isEmpty, let email = signature.email, !email.isEmpty else {
            throw CommandFailure(description: "--token et --email sont obligatoires.")
        }
        let app = context.application
        guard let client = try await app.accounts.findClient(email: email, on: app.db), client.role == .client else {
            throw AppError.clientNotFound
        }
        let completed = try await app.sessionMigration.migrate(token: token, to: .existingClient(client), actor: .commandLine, on: app.db)
        let outcome = completed.outcome
        context.console.print(
            completed.alreadyMigrated
                ? "Déjà migrée vers \(outcome.clientEmail) : rien de plus n'a été écrit."
                : "Migrée vers \(outcome.clientEmail) : \(outcome.migratedProductsCount) produit(s) rattaché(s).")
        for product in outcome.products {
            context.console.print("  \(product.productCode) : \(product.outcome)\(product.reason.map { " — \($0)" } ?? "")")
        }
    }
}

/// `passerelle stats`: conversion figures, overall, per product and per day.
struct StatsCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Flag(name: "json", help: "Sortie JSON")
        var json: Bool
        @Option(name: "from", help: "Début de la période, AAAA-MM-JJ (29 jours avant la fin par défaut)")
        var from: String?
        @Option(name: "to", help: "Fin de la période, AAAA-MM-JJ, incluse (aujourd'hui par défaut)")
        var to: String?
        init() {}
    }

    var help: String { "Affiche les chiffres de conversion des simulations." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let period: ConversionPeriod
        switch ConversionPeriod.parse(from: signature.from, to: signature.to, now: app.clock.now()) {
        case .success(let parsed): period = parsed
        case .failure(let error): throw CommandFailure(description: "--\(error.field) : \(error.message)")
        }
        let stats = try await SessionMigrationStatistics.compute(
            period: period, catalog: app.catalog, on: app.db, backend: app.backend, now: app.clock.now())
        if signature.json {
            let encoder = JSONEncoder.api
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            context.console.print(String(decoding: try encoder.encode(stats), as: UTF8.self))
            return
        }
        context.console.print(
            "Sessions : \(stats.totalSessions), terminées : \(stats.completedSessions), migrées : \(stats.migratedSessions), conversion : \(stats.conversionRate) %"
        )
        for product in stats.byProduct {
            context.console.print(
                "  \(product.productCode) : \(product.eligibleSessions) éligibles sur \(product.completedSessions), \(product.migratedSessions) migrées (\(product.conversionRate) %)"
            )
        }
        for day in stats.byDay {
            context.console.print(
                "  \(day.date) : \(day.totalSessions) sessions, \(day.completedSessions) terminées, \(day.migratedSessions) migrées (\(day.conversionRate) %)"
            )
        }
        if let figures = stats.period {
            context.console.print(
                "Du \(figures.from) au \(figures.to) : \(figures.startedSessions) commencées, \(figures.completedSessions) terminées, \(figures.migratedSessions) migrées (\(figures.migratedNewClients) nouveaux clients, \(figures.migratedExistingClients) clients existants), conversion : \(figures.conversionRate) %"
            )
            context.console.print(
                "  Rattachements : \(figures.migrations.migrations), refus : \(figures.migrations.refused), échecs : \(figures.migrations.failed) (taux d'erreur \(figures.migrations.errorRate) %)"
            )
        }
    }
}
