import Eligibility

/// What a migration does, or will do, with each product of the session: the confirmation page's
/// table and the audit's.
enum ConsoleProductOutcomes {
    static func table(_ products: [ProductOutcome], label: String, caption: String, catalog: Catalog, _ html: inout HTMLWriter) {
        html.table(label: label) { html in
            html.element("caption", text: caption)
            html.columnHeads(["Dispositif", "Résultat de la simulation", "Rattachement", "Raison"])
            html.element("tbody") { html in
                for product in products {
                    html.element("tr") { html in
                        html.element(
                            "th", [("scope", "row")],
                            text: catalog.products.first { $0.code == product.productCode }?.name ?? product.productCode)
                        html.element("td", text: ResultsPage.statusWords(product.status).words)
                        html.element("td", text: ConsoleWords.productOutcome(product.outcome))
                        html.element("td", text: product.reason ?? "Nouveau dispositif du client.")
                    }
                }
            }
        }
    }
}
