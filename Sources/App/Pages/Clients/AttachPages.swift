import Eligibility
import Vapor

/// Attaching the browser's finished simulation to the signed-in account: asked first, then what
/// happened to each product.
enum AttachPages {
    static func confirm(_ results: ResultsDTO, completedAt: Date?, csrf: String) -> Page {
        let day = completedAt.map(FrenchFormat.day) ?? FrenchFormat.day(Date())
        return Page(title: "Rattacher la simulation") { html in
            html.element("h1", text: "Rattacher la simulation du \(day) à votre compte ?")
            let kept = results.results.filter {
                $0.status == EligibilityStatus.eligible.rawValue || $0.status == EligibilityStatus.potentiallyEligible.rawValue
            }
            if kept.isEmpty {
                html.element("p", text: "Cette simulation ne montre aucun dispositif éligible : rien ne sera ajouté à vos dossiers.")
            } else {
                html.element(
                    "p",
                    text:
                        "Ces dispositifs seront ajoutés à votre espace, ou mis à jour s'ils y sont déjà sans être en cours de traitement :")
                html.element("ul") { html in
                    for result in kept {
                        let amount = result.savingsEstimated ? FrenchFormat.euros(result.estimatedSavings) : "montant non chiffré"
                        html.element("li", text: "\(result.productName) — \(ResultsPage.statusWords(result.status).words), \(amount)")
                    }
                }
                html.element("p", [("class", "aide")], text: "Un dossier déjà pris en charge par un conseiller n'est pas modifié.")
            }
            html.element("div", [("class", "actions")]) { html in
                FormFields.button("Rattacher à mon compte", action: "/espace/rattacher", csrf: csrf, &html)
                html.element("a", [("href", "/espace"), ("class", "bouton bouton-second")], text: "Plus tard")
            }
        }
    }

    static func outcome(_ outcome: SessionMigrationOutcome, catalog: Catalog) -> Page {
        Page(title: "Simulation rattachée") { html in
            html.element("h1", text: "Simulation rattachée à votre compte")
            html.element(
                "p",
                text: outcome.migratedProductsCount == 0
                    ? "Aucun dossier n'a été ajouté ni modifié."
                    : "\(outcome.migratedProductsCount) dossier\(outcome.migratedProductsCount > 1 ? "s ont" : " a") été ajouté\(outcome.migratedProductsCount > 1 ? "s" : "") ou mis à jour."
            )
            // Attached first (added, updated, kept), then those left out; each with its reason.
            let order = ["created": 0, "updated": 1, "kept": 2]
            let products = outcome.products.enumerated().sorted { (order[$0.1.outcome] ?? 3, $0.0) < (order[$1.1.outcome] ?? 3, $1.0) }
            html.element("h2", text: "Dispositif par dispositif")
            html.element("ul", [("class", "issues")]) { html in
                for (_, product) in products {
                    html.element("li") { html in
                        html.element("strong", text: catalog.product(code: product.productCode)?.name ?? product.productCode)
                        html.text(" — \(words(product.outcome)) : ")
                        html.text(product.reason ?? "nouveau dossier ouvert à partir de cette simulation.")
                    }
                }
            }
            html.element("p") { html in html.element("a", [("href", "/espace"), ("class", "bouton")], text: "Aller à mon espace") }
        }
    }

    static func words(_ outcome: String) -> String {
        switch outcome {
        case "created": return "Ajouté"
        case "updated": return "Mis à jour"
        case "kept": return "Conservé"
        default: return "Non rattaché"
        }
    }
}
