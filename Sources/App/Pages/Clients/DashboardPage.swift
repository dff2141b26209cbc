import Eligibility
import Vapor

/// `/espace`: the client's products with where each file stands and how its result was calculated,
/// the total, the simulations' history, and the ways out.
struct DashboardPage {
    let client: Client
    let products: [ClientProduitEligible]
    let simulations: [Simulation]
    /// The browser holds a finished simulation not attached yet.
    let pendingSimulation: Bool
    let welcome: Bool

    func page(catalog: Catalog, csrf: String) -> Page {
        Page(title: "Mon espace") { html in
            html.element("h1", text: "Mon espace")
            if let company = client.companyName { html.element("p", [("class", "aide")], text: company) }
            if welcome {
                html.element(
                    "p", [("class", "encart"), ("role", "status")],
                    text: "Votre compte est créé et votre simulation y est rattachée. Un conseiller vous contactera pour la suite.")
            }
            if pendingSimulation {
                html.element("div", [("class", "encart")]) { html in
                    html.element("p", text: "Vous avez terminé une simulation qui n'est pas encore rattachée à votre compte.")
                    html.element("a", [("href", "/espace/rattacher")], text: "Rattacher cette simulation")
                }
            }
            html.element("h2", text: "Mes dispositifs")
            if products.isEmpty {
                html.element("p", text: "Aucun dispositif pour le moment : faites une simulation pour savoir ce que vous pouvez récupérer.")
            } else {
                html.element("p", [("class", "total")]) { html in
                    html.text("Économies estimées au total : ")
                    html.element("strong", text: FrenchFormat.euros((products.map(\.montantFinal).reduce(0, +) * 100).rounded() / 100))
                }
                for product in products { card(product, catalog: catalog, &html) }
            }
            FormFields.button("Faire une nouvelle simulation", action: "/simulateur/commencer", csrf: csrf, &html)
            history(&html)
            html.element("h2", text: "Déconnexion")
            html.element("div", [("class", "actions")]) { html in
                FormFields.button("Se déconnecter", action: "/deconnexion", csrf: csrf, secondary: true, &html)
                FormFields.button(
                    "Se déconnecter de tous mes appareils", action: "/deconnexion/partout", csrf: csrf, secondary: true, &html)
            }
        }
    }

    private func card(_ product: ClientProduitEligible, catalog: Catalog, _ html: inout HTMLWriter) {
        let status = ResultsPage.statusWords(product.statut)
        let id = "dossier-\(product.product.code)"
        html.element("section", [("class", "carte"), ("aria-labelledby", id)]) { html in
            html.element("h3", [("id", id)], text: product.product.name)
            html.element("p", [("class", "statut statut-\(product.statut)")]) { html in
                html.element("span", [("aria-hidden", "true")], text: status.icon + " ")
                html.text(status.words + " — score \(product.metadata.eligibilityScore) sur 100")
            }
            html.element("p") { html in
                if product.metadata.savingsEstimated {
                    html.text("Économies estimées : ")
                    html.element("strong", text: FrenchFormat.euros(product.montantFinal))
                } else {
                    html.text(
                        "Montant non chiffré : "
                            + (product.metadata.calculationDetails?.savings.reason ?? "à préciser avec votre conseiller."))
                }
            }
            html.element("p", text: "Où en est votre dossier : " + Self.stage(product))
            html.element(
                "p", [("class", "aide")],
                text:
                    "Éligibilité constatée le \(FrenchFormat.day(product.dateEligibilite ?? product.createdAt)), avec les règles \(Self.rules(product.metadata.rulesetVersion))."
            )
            if !product.metadata.recommendations.isEmpty {
                html.element("h4", text: "Ce que nous vous conseillons")
                html.element("ul") { html in for item in product.metadata.recommendations { html.element("li", text: item) } }
            }
            if let details = product.metadata.calculationDetails {
                TraceSentences.write(details, score: product.metadata.eligibilityScore, catalog: catalog, &html)
            }
        }
    }

    /// Where a file stands, in words: opened, taken on by an adviser, charter signed, in progress.
    static func stage(_ product: ClientProduitEligible) -> String {
        var words: String
        if product.currentStep == 0 && product.expertID == nil {
            words = "ouvert, en attente de prise en charge par un conseiller"
        } else if product.currentStep == 0 {
            words = "pris en charge par un conseiller"
        } else {
            words = "étape \(product.currentStep), avancement \(product.progress) %"
        }
        if product.charteSigned { words += " ; charte d'engagement signée" }
        return words + "."
    }

    /// A ruleset as a client reads it: its version, without the content hash (`2026.12.1+3f9a…`).
    static func rules(_ identifier: String) -> String {
        String(identifier.split(separator: "+").first ?? Substring(identifier))
    }

    private func history(_ html: inout HTMLWriter) {
        html.element("h2", text: "Mes simulations")
        guard !simulations.isEmpty else {
            html.element("p", text: "Aucune simulation rattachée.")
            return
        }
        html.table(label: "Mes simulations") { html in
            html.element("caption", [("class", "evitement")], text: "Mes simulations, la plus récente d'abord")
            html.element("thead") { html in
                html.element("tr") { html in
                    html.element("th", [("scope", "col")], text: "Date")
                    html.element("th", [("scope", "col")], text: "Règles")
                    html.element("th", [("scope", "col"), ("class", "nombre")], text: "Dispositifs éligibles")
                    html.element("th", [("scope", "col"), ("class", "nombre")], text: "Économies estimées")
                }
            }
            html.element("tbody") { html in
                for simulation in simulations {
                    let eligible = simulation.results.filter { $0.status != EligibilityStatus.notEligible.rawValue }
                    html.element("tr") { html in
                        html.element("th", [("scope", "row")], text: FrenchFormat.day(simulation.createdAt))
                        html.element("td", text: Self.rules(simulation.rulesetVersion))
                        html.element("td", [("class", "nombre")], text: "\(eligible.count)")
                        html.element("td", [("class", "nombre")], text: FrenchFormat.euros(eligible.map(\.estimatedSavings).reduce(0, +)))
                    }
                }
            }
        }
    }
}
