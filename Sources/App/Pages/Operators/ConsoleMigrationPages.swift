import Eligibility
import Foundation

/// `/operateur/migrations`: the most recent first, filtered by date, outcome and client.
struct ConsoleMigrationsPage {
    struct Form {
        var from = ""
        var to = ""
        var outcome = ""
        var client = ""
        var errors: [String: String] = [:]
    }

    static let outcomes: [(value: String, label: String)] = [
        ("", "Tous"), ("migrated", "Rattachées"), ("refused", "Refusées"), ("failed", "Échouées"),
    ]

    let form: Form
    let entries: [ConsoleQueries.MigrationEntry]
    let people: [UUID: Client]
    let offset: Int

    func page(csrf: String) -> Page {
        ConsolePage.page("Migrations", section: .migrations, status: form.errors.isEmpty ? .ok : .unprocessableEntity, csrf: csrf) { html in
            FormFields.errorSummary(
                "Le filtre n'a pas pu être lu",
                ["du", "au", "resultat", "client"].compactMap { field in form.errors[field].map { (field, $0) } }, &html)
            html.element("form", [("method", "post"), ("action", "/operateur/migrations"), ("class", "filtres")]) { html in
                FormFields.csrf(csrf, &html)
                FormFields.input(.init(name: "du", label: "Du", type: "date", value: form.from, error: form.errors["du"]), &html)
                FormFields.input(.init(name: "au", label: "Au (inclus)", type: "date", value: form.to, error: form.errors["au"]), &html)
                html.element("div", [("class", form.errors["resultat"] == nil ? "question" : "question champ-erreur")]) { html in
                    html.element("label", [("for", "resultat")], text: "Résultat")
                    FormFields.notes(name: "resultat", hint: nil, error: form.errors["resultat"], &html)
                    html.element("select", [("id", "resultat"), ("name", "resultat")]) { html in
                        for option in Self.outcomes {
                            html.element(
                                "option", [("value", option.value), ("selected", option.value == form.outcome ? "" : nil)],
                                text: option.label)
                        }
                    }
                }
                FormFields.input(
                    .init(name: "client", label: "E-mail du client", type: "email", value: form.client, error: form.errors["client"]), &html
                )
                html.element("button", [("type", "submit")], text: "Filtrer")
            }
            let shown = entries.prefix(ConsoleQueries.pageSize)
            guard !shown.isEmpty else {
                html.element("p", [("role", "status")], text: form.errors.isEmpty ? "Aucune migration ne correspond." : "")
                return
            }
            html.table(label: "Migrations") { html in
                html.element("caption", text: "Migrations, la plus récente d'abord")
                html.columnHeads(["Date", "Résultat", "Demandée par", "Client", "Détail"])
                html.element("tbody") { html in
                    for entry in shown {
                        html.element("tr") { html in
                            html.element("th", [("scope", "row")]) { html in
                                html.element("a", [("href", "/operateur/migrations/\(entry.id)")], text: FrenchFormat.moment(entry.at))
                            }
                            html.element("td", text: ConsoleWords.outcome(entry.outcome))
                            html.element("td", text: ConsoleWords.actor(entry, people: people))
                            html.element("td") { html in
                                if let id = entry.clientID, let client = people[id] {
                                    html.element("a", [("href", "/operateur/clients/\(id)")], text: client.email)
                                } else {
                                    html.text("—")
                                }
                            }
                            html.element(
                                "td",
                                text: entry.errorCode ?? entry.productsCount.map { "\($0) produit(s) rattaché(s)" } ?? "")
                        }
                    }
                }
            }
            pager(csrf: csrf, &html)
        }
    }

    /// Earlier and later pages: the same filter posted again with another starting row.
    private func pager(csrf: String, _ html: inout HTMLWriter) {
        let fields = ["du": form.from, "au": form.to, "resultat": form.outcome, "client": form.client]
        html.element("div", [("class", "actions")]) { html in
            func page(_ label: String, from start: Int) {
                html.element("form", [("method", "post"), ("action", "/operateur/migrations")]) { html in
                    FormFields.csrf(csrf, &html)
                    for (name, value) in fields.sorted(by: { $0.key < $1.key }) where !value.isEmpty {
                        html.void("input", [("type", "hidden"), ("name", name), ("value", value)])
                    }
                    html.void("input", [("type", "hidden"), ("name", "depuis"), ("value", String(start))])
                    html.element("button", [("type", "submit"), ("class", "second")], text: label)
                }
            }
            if offset > 0 { page("Plus récentes", from: max(0, offset - ConsoleQueries.pageSize)) }
            if entries.count > ConsoleQueries.pageSize { page("Plus anciennes", from: offset + ConsoleQueries.pageSize) }
        }
    }
}

/// `/operateur/migrations/:id`: one migration's audit: who, when, which session, each product.
struct ConsoleMigrationPage {
    let entry: ConsoleQueries.MigrationEntry
    let products: [ProductOutcome]
    let session: TemporarySession?
    let people: [UUID: Client]

    func page(catalog: Catalog, csrf: String) -> Page {
        ConsolePage.page("Migration du \(FrenchFormat.moment(entry.at))", section: .migrations, csrf: csrf) { html in
            html.element("dl", [("class", "recapitulatif")]) { html in
                func item(_ term: String, _ value: (inout HTMLWriter) -> Void) {
                    html.element("div") { html in
                        html.element("dt", text: term)
                        html.element("dd", [], value)
                    }
                }
                item("Résultat") { $0.text(ConsoleWords.outcome(entry.outcome)) }
                item("Quand") { $0.text(FrenchFormat.moment(entry.at)) }
                item("Demandée par") { $0.text(ConsoleWords.actor(entry, people: people)) }
                item("Client") { html in
                    if let id = entry.clientID, let client = people[id] {
                        html.element("a", [("href", "/operateur/clients/\(id)")], text: client.email)
                        if let company = client.companyName { html.text(" — " + company) }
                    } else {
                        html.text(entry.outcome == "migrated" ? "compte supprimé" : "aucun (nouveau compte non créé)")
                    }
                }
                item("Session") { html in
                    if let session {
                        html.text(
                            "\(ConsoleWords.reference(session.id!)) — commencée le \(FrenchFormat.moment(session.createdAt))"
                                + (session.completedAt.map { ", terminée le \(FrenchFormat.moment($0))" } ?? "")
                                + ", règles \(session.rulesetVersion ?? "inconnues")")
                    } else {
                        html.text(entry.sessionID == nil ? "introuvable (jeton inconnu)" : "supprimée depuis")
                    }
                }
                if let code = entry.errorCode {
                    item("Motif") { html in
                        html.element("code", text: code)
                        if let sentence = ConsoleWords.refusal(code) { html.text(" : " + sentence) }
                    }
                }
            }
            guard !products.isEmpty else { return }
            ConsoleProductOutcomes.table(
                products, label: "Produits de la migration", caption: "Ce que la migration a fait de chaque dispositif", catalog: catalog,
                &html)
        }
    }
}
