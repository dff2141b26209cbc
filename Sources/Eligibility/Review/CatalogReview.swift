import Foundation

/// What an adviser must look at in the catalog on a given day: figures past the date by which they
/// must be checked again, values that rest on no primary text, figures without any source, and
/// products whose sources are all secondary. `passerelle catalog check` prints it.
public struct CatalogReview: Sendable {
    public struct Overdue: Sendable, Equatable {
        public let parameter: String
        public let label: String
        public let reviewBy: CalendarDay
    }

    /// One value of one parameter, and what the review says of it.
    public struct Finding: Sendable, Equatable {
        public let parameter: String
        public let from: CalendarDay
        public let detail: String
    }

    public let ruleset: String
    public let day: CalendarDay
    public let overdue: [Overdue]
    /// Values whose source is not a primary text (a secondary one, or none beside `unsourced`).
    public let withoutPrimarySource: [Finding]
    /// Values that say `unsourced:` (a market price, a statistic), with the reason given.
    public let unsourced: [Finding]
    /// Values whose figure could not be read on the source cited (`unconfirmed:`), with what remains to do.
    public let unconfirmed: [Finding]
    public let productsWithoutPrimarySource: [String]

    /// A figure is past its review date: the catalog must be checked before it is trusted.
    public var isPastDue: Bool { !overdue.isEmpty }

    /// The report, in French, one finding a line.
    public var report: String {
        var lines = ["Catalogue \(ruleset) : revue au \(day)"]
        lines.append("Paramètres dont la date de revue est dépassée : \(overdue.count)")
        lines += overdue.map { "  - \($0.parameter) (« \($0.label) ») : à revoir au plus tard le \($0.reviewBy)" }
        lines.append("Valeurs sans source primaire : \(withoutPrimarySource.count)")
        lines += withoutPrimarySource.map { "  - \($0.parameter) au \($0.from) : \($0.detail)" }
        lines.append("Valeurs non sourcées (estimations) : \(unsourced.count)")
        lines += unsourced.map { "  - \($0.parameter) au \($0.from) : \($0.detail)" }
        lines.append("Valeurs à confirmer sur leur source : \(unconfirmed.count)")
        lines += unconfirmed.map { "  - \($0.parameter) au \($0.from) : \($0.detail)" }
        lines.append(
            "Produits sans source primaire : \(productsWithoutPrimarySource.isEmpty ? "aucun" : productsWithoutPrimarySource.joined(separator: ", "))"
        )
        lines.append(
            isPastDue
                ? "Résultat : \(overdue.count) paramètre(s) à revoir avant de se fier au catalogue."
                : "Résultat : aucun paramètre en retard de revue.")
        return lines.joined(separator: "\n")
    }
}

extension Catalog {
    /// Reviews every parameter value and product source as of `day`.
    public func review(on day: CalendarDay) -> CatalogReview {
        var overdue: [CatalogReview.Overdue] = []
        var withoutPrimary: [CatalogReview.Finding] = []
        var unsourced: [CatalogReview.Finding] = []
        var unconfirmed: [CatalogReview.Finding] = []
        for parameter in parameters {
            if let reviewBy = parameter.reviewBy, reviewBy < day {
                overdue.append(.init(parameter: parameter.name, label: parameter.label, reviewBy: reviewBy))
            }
            for value in parameter.values {
                if let source = value.source {
                    if !source.isPrimary {
                        withoutPrimary.append(
                            .init(
                                parameter: parameter.name, from: value.from,
                                detail: "« \(source.title) » (\(source.host)) n'est pas un texte officiel"))
                    }
                } else {
                    unsourced.append(.init(parameter: parameter.name, from: value.from, detail: value.unsourced ?? ""))
                }
                if let what = value.unconfirmed {
                    unconfirmed.append(.init(parameter: parameter.name, from: value.from, detail: what))
                }
            }
        }
        let products = products.filter { !$0.sources.contains(where: \.isPrimary) }.map(\.code)
        return CatalogReview(
            ruleset: rulesetIdentifier, day: day, overdue: overdue, withoutPrimarySource: withoutPrimary,
            unsourced: unsourced, unconfirmed: unconfirmed, productsWithoutPrimarySource: products)
    }
}

extension SourceDefinition {
    var host: String { URLComponents(string: url)?.host ?? url }
}
