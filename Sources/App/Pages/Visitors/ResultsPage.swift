import Eligibility
import Vapor

/// `/simulateur/resultats`: the total, a chart of savings per product with the same figures in a
/// table, then one card per product with its status in words and with an icon, its figures, what to
/// do and what to watch, and how it was calculated, in sentences.
enum ResultsPage {
    /// What the page offers next: an account (new or existing), attaching to the one signed in, or
    /// the dashboard the simulation already belongs to.
    enum NextStep {
        case signUp, attach, dashboard
    }

    static func page(_ results: ResultsDTO, next: NextStep, catalog: Catalog, csrf: String) -> Page {
        Page(title: "Vos résultats") { html in
            html.element("h1", text: "Vos résultats")
            html.element("p", [("class", "total")]) { html in
                html.text("Économies potentielles estimées : ")
                html.element("strong", text: FrenchFormat.euros(results.totalEstimatedSavings))
            }
            html.element(
                "p", [("class", "aide")],
                text:
                    "Calculé le \(CalendarDay(iso: results.evaluatedOn).map(FrenchFormat.day) ?? results.evaluatedOn) avec les règles \(results.rulesetVersion)."
            )
            let priced = results.results.filter { $0.estimatedSavings > 0 }.sorted { $0.estimatedSavings > $1.estimatedSavings }
            if !priced.isEmpty { chart(priced, &html) }
            html.element("h2", text: "Le détail par dispositif")
            // Eligible first, then potentially eligible, then the others; the larger amount first within each.
            let rank = [EligibilityStatus.eligible.rawValue: 0, EligibilityStatus.potentiallyEligible.rawValue: 1]
            let ordered = results.results.sorted {
                (rank[$0.status] ?? 2, -$0.estimatedSavings, $0.productName) < (rank[$1.status] ?? 2, -$1.estimatedSavings, $1.productName)
            }
            for result in ordered { card(result, catalog: catalog, &html) }
            actions(next, &html)
        }
    }

    private static func actions(_ next: NextStep, _ html: inout HTMLWriter) {
        html.element("h2", text: "Et maintenant ?")
        switch next {
        case .signUp:
            html.element(
                "p",
                text:
                    "Un conseiller peut monter les dossiers avec vous. Créez votre compte : vos réponses et ces résultats y seront repris.")
            html.element("div", [("class", "actions")]) { html in
                html.element("a", [("href", "/inscription"), ("class", "bouton")], text: "Créer mon compte pour être accompagné")
                html.element("a", [("href", "/connexion"), ("class", "bouton bouton-second")], text: "J'ai déjà un compte")
            }
        case .attach:
            html.element("div", [("class", "actions")]) { html in
                html.element("a", [("href", "/espace/rattacher"), ("class", "bouton")], text: "Rattacher cette simulation à mon compte")
            }
        case .dashboard:
            html.element("p", text: "Cette simulation est rattachée à un compte client.")
            html.element("div", [("class", "actions")]) { html in
                html.element("a", [("href", "/espace"), ("class", "bouton")], text: "Aller à mon espace")
            }
        }
    }

    /// Horizontal bars drawn by the server, described for those who cannot see them, and the table.
    private static func chart(_ priced: [ProductResultDTO], _ html: inout HTMLWriter) {
        let largest = priced.map(\.estimatedSavings).max() ?? 1
        let rowHeight = 34
        let height = rowHeight * priced.count + 10
        html.element("h2", text: "Économies estimées par dispositif")
        html.element(
            "svg",
            [
                ("class", "graphique"), ("viewBox", "0 0 640 \(height)"), ("role", "img"),
                ("aria-labelledby", "graphique-titre"), ("focusable", "false"),
            ]
        ) { html in
            html.element(
                "title", [("id", "graphique-titre")],
                text: "Économies estimées par dispositif ; les mêmes chiffres figurent dans le tableau ci-dessous.")
            for (index, result) in priced.enumerated() {
                let y = 5 + index * rowHeight
                let width = max(2, Int(320 * result.estimatedSavings / largest))
                html.element("text", [("x", "0"), ("y", "\(y + 20)")], text: shortName(result))
                html.shape("rect", [("class", "barre"), ("x", "180"), ("y", "\(y + 4)"), ("width", "\(width)"), ("height", "22")])
                html.element("text", [("x", "\(186 + width)"), ("y", "\(y + 20)")], text: FrenchFormat.euros(result.estimatedSavings))
            }
        }
        html.table(label: "Économies estimées par dispositif") { html in
            html.element("caption", [("class", "evitement")], text: "Économies estimées par dispositif")
            html.element("thead") { html in
                html.element("tr") { html in
                    html.element("th", [("scope", "col")], text: "Dispositif")
                    html.element("th", [("scope", "col"), ("class", "nombre")], text: "Économies estimées")
                }
            }
            html.element("tbody") { html in
                for result in priced {
                    html.element("tr") { html in
                        html.element("th", [("scope", "row")], text: result.productName)
                        html.element("td", [("class", "nombre")], text: FrenchFormat.euros(result.estimatedSavings))
                    }
                }
            }
        }
    }

    private static func shortName(_ result: ProductResultDTO) -> String {
        result.productCode == "FONCIER" ? "Taxe foncière" : result.productCode
    }

    static func statusWords(_ status: String) -> (icon: String, words: String) {
        switch status {
        case EligibilityStatus.eligible.rawValue: return ("✓", "Éligible")
        case EligibilityStatus.potentiallyEligible.rawValue: return ("?", "Potentiellement éligible")
        default: return ("✗", "Non éligible")
        }
    }

    private static func confidenceWords(_ level: String) -> String {
        switch level {
        case "high": return "élevée"
        case "medium": return "moyenne"
        default: return "faible"
        }
    }

    private static func card(_ result: ProductResultDTO, catalog: Catalog, _ html: inout HTMLWriter) {
        let status = statusWords(result.status)
        html.element("section", [("class", "carte"), ("aria-labelledby", "produit-\(result.productCode)")]) { html in
            html.element("h3", [("id", "produit-\(result.productCode)")], text: result.productName)
            html.element("p", [("class", "statut statut-\(result.status)")]) { html in
                html.element("span", [("aria-hidden", "true")], text: status.icon + " ")
                html.text(status.words)
                html.text(" — score \(result.score) sur 100")
            }
            html.element("p") { html in
                if result.savingsEstimated {
                    html.text("Économies estimées : ")
                    html.element("strong", text: FrenchFormat.euros(result.estimatedSavings))
                } else {
                    html.text(
                        "Montant non chiffré : "
                            + (result.calculationDetails.savings.reason ?? "les réponses ne permettent pas de l'estimer."))
                }
            }
            html.element("p", text: "Fiabilité de l'estimation : \(confidenceWords(result.confidenceLevel)).")
            list("Ce que nous vous conseillons", result.recommendations, &html)
            list("Points d'attention", result.riskFactors, &html)
            if !result.missingInputs.isEmpty {
                html.element("p", text: "Pour affiner ce résultat, répondez aussi à :")
                html.element("ul") { html in
                    for id in result.missingInputs {
                        html.element("li") { html in
                            html.element("a", [("href", "/simulateur/question/\(id)")], text: catalog.question(id: id)?.text ?? id)
                        }
                    }
                }
            }
            TraceSentences.write(result.calculationDetails, score: result.score, catalog: catalog, &html)
        }
    }

    private static func list(_ title: String, _ items: [String], _ html: inout HTMLWriter) {
        guard !items.isEmpty else { return }
        html.element("h4", text: title)
        html.element("ul") { html in for item in items { html.element("li", text: item) } }
    }
}

extension CalendarDay {
    /// `2026-03-02`.
    init?(iso text: String) {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        self.init(year: parts[0], month: parts[1], day: parts[2])
    }
}
