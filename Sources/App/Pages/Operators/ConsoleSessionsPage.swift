import Foundation
import Vapor

/// `/operateur/sessions`: the simulator's sessions by status and date of creation, the most recent
/// first, with nothing personal: no answer, no client, never a token or its hash.
struct ConsoleSessionsPage {
    struct Form {
        var status = ""
        var from = ""
        var to = ""
        var errors: [String: String] = [:]
    }

    let form: Form
    let lines: [ConsoleQueries.SessionLine]
    let offset: Int
    let now: Date

    func page(csrf: String) -> Page {
        ConsolePage.page("Sessions", section: .sessions, status: form.errors.isEmpty ? .ok : .unprocessableEntity, csrf: csrf) { html in
            FormFields.errorSummary(
                "Le filtre n'a pas pu être lu", ["statut", "du", "au"].compactMap { field in form.errors[field].map { (field, $0) } },
                &html)
            html.element("form", [("method", "get"), ("action", "/operateur/sessions"), ("class", "filtres")]) { html in
                html.element("div", [("class", form.errors["statut"] == nil ? "question" : "question champ-erreur")]) { html in
                    html.element("label", [("for", "statut")], text: "Statut")
                    FormFields.notes(name: "statut", hint: nil, error: form.errors["statut"], &html)
                    html.element("select", [("id", "statut"), ("name", "statut")]) { html in
                        html.element("option", [("value", ""), ("selected", form.status.isEmpty ? "" : nil)], text: "Tous")
                        for status in SessionStatus.allCases {
                            html.element(
                                "option", [("value", status.rawValue), ("selected", status.rawValue == form.status ? "" : nil)],
                                text: ConsoleWords.sessionStatus(status.rawValue))
                        }
                    }
                }
                FormFields.input(.init(name: "du", label: "Commencées du", type: "date", value: form.from, error: form.errors["du"]), &html)
                FormFields.input(.init(name: "au", label: "Au (inclus)", type: "date", value: form.to, error: form.errors["au"]), &html)
                html.element("button", [("type", "submit")], text: "Filtrer")
            }
            let shown = lines.prefix(ConsoleQueries.pageSize)
            guard !shown.isEmpty else {
                html.element("p", [("role", "status")], text: form.errors.isEmpty ? "Aucune session ne correspond." : "")
                return
            }
            html.table(label: "Sessions") { html in
                html.element("caption", text: "Sessions, la plus récente d'abord")
                html.columnHeads(
                    ["Référence", "Commencée", "Statut", "Dernière activité", "Réponses", "Dispositifs retenus", "Règles"],
                    numeric: ["Réponses", "Dispositifs retenus"])
                html.element("tbody") { html in
                    for line in shown {
                        html.element("tr") { html in
                            html.element("th", [("scope", "row")]) { html in html.element("code", text: ConsoleWords.reference(line.id)) }
                            html.element("td", text: FrenchFormat.moment(line.created_at))
                            html.element("td", text: status(line))
                            html.element("td", text: FrenchFormat.moment(line.last_activity))
                            html.element("td", [("class", "nombre")], text: "\(line.answers)")
                            html.element("td", [("class", "nombre")], text: "\(line.kept_products)")
                            html.element("td", text: line.ruleset_version.map(DashboardPage.rules) ?? "—")
                        }
                    }
                }
            }
            html.element("nav", [("aria-label", "Pages des sessions"), ("class", "actions")]) { html in
                let filter = ["statut": form.status, "du": form.from, "au": form.to].filter { !$0.value.isEmpty }
                func page(_ label: String, from start: Int) {
                    let query = (try? URLEncodedFormEncoder().encode(filter.merging(["depuis": String(start)]) { $1 })) ?? ""
                    html.element("a", [("href", "/operateur/sessions?" + query)], text: label)
                }
                if offset > 0 { page("Plus récentes", from: max(0, offset - ConsoleQueries.pageSize)) }
                if lines.count > ConsoleQueries.pageSize { page("Plus anciennes", from: offset + ConsoleQueries.pageSize) }
            }
        }
    }

    /// The status, with when it was reached, and "expirée" for a session no one can continue.
    private func status(_ line: ConsoleQueries.SessionLine) -> String {
        var words = ConsoleWords.sessionStatus(line.status)
        if let migrated = line.migrated_at {
            words += " le " + FrenchFormat.moment(migrated)
        } else if let completed = line.completed_at, line.status == SessionStatus.completed.rawValue {
            words += " le " + FrenchFormat.moment(completed)
        }
        if line.status != SessionStatus.migrated.rawValue, line.expires_at < now { words += " (expirée)" }
        return words
    }
}
