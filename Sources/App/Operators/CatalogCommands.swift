import Eligibility
import Vapor

/// `passerelle catalog check [--date AAAA-MM-JJ] [--report-only]`: lists the parameters past their review
/// date, the values without a primary source and the unsourced figures of the catalog in force; exits
/// non-zero when a parameter is past due, unless `--report-only` (the test command prints the report).
struct CatalogCheckCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "date", help: "Jour de la revue, AAAA-MM-JJ (aujourd'hui par défaut)")
        var date: String?
        @Flag(name: "report-only", help: "Affiche le rapport sans échouer sur les dates de revue dépassées")
        var reportOnly: Bool
        init() {}
    }

    var help: String { "Vérifie les sources et les dates de revue des paramètres du catalogue." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let day: CalendarDay
        if let raw = signature.date {
            guard let parsed = CalendarDay(raw) else {
                throw CommandFailure(description: "--date attend une date AAAA-MM-JJ (reçu : \(raw)).")
            }
            day = parsed
        } else {
            day = CalendarDay(context.application.clock.now())
        }
        let review = context.application.catalog.review(on: day)
        context.console.print(review.report)
        if review.isPastDue, !signature.reportOnly {
            throw CommandFailure(description: "\(review.overdue.count) paramètre(s) du catalogue à revoir : date de revue dépassée.")
        }
    }
}

/// `passerelle catalog …`: what the people who keep the rules run.
struct CatalogCommands: AsyncCommandGroup {
    var help: String { "Le catalogue des règles d'éligibilité." }
    var commands: [String: any AnyAsyncCommand] { ["check": CatalogCheckCommand()] }
}
