import Eligibility
import Foundation

/// `/operateur/clients`: search by email, company or SIREN (a POST: what is searched for stays out
/// of URLs), and a client's page: profile, products, simulations and the account's audit.
enum ConsoleClientPages {
    static func search(text: String, clients: [App.Client], csrf: String) -> Page {
        ConsolePage.page("Clients", section: .clients, csrf: csrf) { html in
            html.element("form", [("method", "post"), ("action", "/operateur/clients"), ("class", "filtres"), ("role", "search")]) { html in
                FormFields.csrf(csrf, &html)
                FormFields.input(
                    .init(name: "q", label: "E-mail, entreprise ou SIREN", type: "search", hint: "Une partie suffit.", value: text), &html)
                html.element("button", [("type", "submit")], text: "Rechercher")
            }
            guard !text.isEmpty else { return }
            guard !clients.isEmpty else {
                html.element("p", [("role", "status")], text: "Aucun client ne correspond à « \(text) ».")
                return
            }
            html.element(
                "p", [("role", "status")], text: "\(clients.count) client(s) trouvé(s)\(clients.count == 50 ? " (les 50 premiers)" : "").")
            html.table(label: "Clients trouvés") { html in
                html.element("caption", text: "Clients trouvés")
                html.columnHeads(["E-mail", "Entreprise", "SIREN", "Inscrit le"])
                html.element("tbody") { html in
                    for client in clients {
                        html.element("tr") { html in
                            html.element("th", [("scope", "row")]) { html in
                                html.element("a", [("href", "/operateur/clients/\(client.id!)")], text: client.email)
                            }
                            html.element("td", text: client.companyName ?? "—")
                            html.element("td", text: client.siren ?? "—")
                            html.element("td", text: FrenchFormat.day(client.createdAt))
                        }
                    }
                }
            }
        }
    }

    struct Client {
        let client: App.Client
        let products: [ClientProduitEligible]
        let simulations: [Simulation]
        let audit: [ConsoleQueries.MigrationEntry]
        let people: [UUID: App.Client]

        func page(csrf: String) -> Page {
            ConsolePage.page(client.companyName ?? client.email, section: .clients, csrf: csrf) { html in
                html.element("h2", text: "Profil")
                html.element("dl", [("class", "recapitulatif")]) { html in
                    let rows: [(String, String?)] = [
                        ("E-mail", client.email), ("Nom", client.name), ("Entreprise", client.companyName), ("SIREN", client.siren),
                        ("Téléphone", client.phoneNumber),
                        ("Adresse", [client.address, client.postalCode, client.city].compactMap { $0 }.joined(separator: " ").nilIfEmpty),
                        ("Secteur", client.sector), ("Effectif", client.headcountBand), ("Chiffre d'affaires", client.turnoverBand),
                        ("Inscrit le", FrenchFormat.day(client.createdAt)), ("Statut du compte", client.statut),
                    ]
                    for (term, value) in rows {
                        html.element("div") { html in
                            html.element("dt", text: term)
                            html.element("dd", text: value ?? "—")
                        }
                    }
                }
                productsTable(&html)
                simulationsTable(&html)
                auditTable(&html)
            }
        }

        private func productsTable(_ html: inout HTMLWriter) {
            html.element("h2", text: "Dispositifs")
            guard !products.isEmpty else { return html.element("p", text: "Aucun dispositif.") }
            html.table(label: "Dispositifs du client") { html in
                html.element("caption", text: "Dispositifs du client et avancement des dossiers")
                html.columnHeads(["Dispositif", "Statut", "Économies estimées", "Dossier", "Depuis le"], numeric: ["Économies estimées"])
                html.element("tbody") { html in
                    for product in products {
                        html.element("tr") { html in
                            html.element("th", [("scope", "row")], text: product.product.name)
                            html.element("td", text: ResultsPage.statusWords(product.statut).words)
                            html.element("td", [("class", "nombre")], text: FrenchFormat.euros(product.montantFinal))
                            html.element("td", text: DashboardPage.stage(product))
                            html.element("td", text: FrenchFormat.day(product.dateEligibilite ?? product.createdAt))
                        }
                    }
                }
            }
        }

        private func simulationsTable(_ html: inout HTMLWriter) {
            html.element("h2", text: "Simulations")
            guard !simulations.isEmpty else { return html.element("p", text: "Aucune simulation rattachée.") }
            html.table(label: "Simulations du client") { html in
                html.element("caption", text: "Simulations rattachées, la plus récente d'abord")
                html.columnHeads(
                    ["Date", "Règles", "Dispositifs retenus", "Économies estimées"], numeric: ["Dispositifs retenus", "Économies estimées"])
                html.element("tbody") { html in
                    for simulation in simulations {
                        let kept = simulation.results.filter { $0.status != EligibilityStatus.notEligible.rawValue }
                        html.element("tr") { html in
                            html.element("th", [("scope", "row")], text: FrenchFormat.moment(simulation.createdAt))
                            html.element("td", text: simulation.rulesetVersion)
                            html.element("td", [("class", "nombre")], text: "\(kept.count)")
                            html.element("td", [("class", "nombre")], text: FrenchFormat.euros(kept.map(\.estimatedSavings).reduce(0, +)))
                        }
                    }
                }
            }
        }

        private func auditTable(_ html: inout HTMLWriter) {
            html.element("h2", text: "Journal du compte")
            guard !audit.isEmpty else { return html.element("p", text: "Aucune migration pour ce compte.") }
            html.table(label: "Journal du compte") { html in
                html.element("caption", text: "Migrations vers ce compte, la plus récente d'abord")
                html.columnHeads(["Date", "Résultat", "Demandée par", "Détail"])
                html.element("tbody") { html in
                    for entry in audit.prefix(ConsoleQueries.pageSize) {
                        html.element("tr") { html in
                            html.element("th", [("scope", "row")]) { html in
                                html.element("a", [("href", "/operateur/migrations/\(entry.id)")], text: FrenchFormat.moment(entry.at))
                            }
                            html.element("td", text: ConsoleWords.outcome(entry.outcome))
                            html.element("td", text: ConsoleWords.actor(entry, people: people))
                            html.element("td", text: entry.errorCode ?? entry.productsCount.map { "\($0) produit(s) rattaché(s)" } ?? "")
                        }
                    }
                }
            }
            if audit.count > ConsoleQueries.pageSize {
                html.element("p") { html in
                    html.element("a", [("href", "/operateur/migrations?client=\(client.id!)")], text: "Toutes les migrations de ce client")
                }
            }
        }
    }
}
