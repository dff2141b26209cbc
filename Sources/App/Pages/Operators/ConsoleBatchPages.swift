import Foundation
import Vapor

/// `/operateur/lots`: uploading a CSV of (session token, client email) rows, the format of
/// `passerelle migrate-batch`, then following the batch to its per-row report.
enum ConsoleBatchPages {
    static func upload(error: String?, recent: [OperatorBatch], status: HTTPStatus = .ok, csrf: String) -> Page {
        ConsolePage.page("Lot CSV", section: .batch, status: status, csrf: csrf) { html in
            html.element(
                "p",
                text:
                    "Chaque ligne rattache la session d'un visiteur au compte d'un client existant, comme la commande passerelle migrate-batch. Le fichier est vérifié en entier avant que rien ne commence."
            )
            FormFields.errorSummary("Le fichier n'a pas été accepté", error.map { [("fichier", $0)] } ?? [], &html)
            html.element("form", [("method", "post"), ("action", "/operateur/lots"), ("enctype", "multipart/form-data")]) { html in
                FormFields.csrf(csrf, &html)
                let hint =
                    "CSV en UTF-8, 1 Mo au plus : deux colonnes, session_token puis client_email, séparées par une virgule ou un point-virgule ; une ligne d'en-tête est permise."
                html.element("div", [("class", error == nil ? "question" : "question champ-erreur")]) { html in
                    html.element("label", [("for", "fichier")], text: "Fichier CSV")
                    FormFields.notes(name: "fichier", hint: hint, error: error, &html)
                    html.void(
                        "input",
                        [
                            ("type", "file"), ("id", "fichier"), ("name", "fichier"), ("accept", ".csv,text/csv"),
                            ("aria-describedby", FormFields.describedBy(name: "fichier", hint: hint, error: error)),
                            ("aria-invalid", error == nil ? nil : "true"),
                        ])
                }
                html.element("button", [("type", "submit")], text: "Lancer le lot")
            }
            guard !recent.isEmpty else { return }
            html.element("h2", text: "Lots récents")
            html.table(label: "Lots récents") { html in
                html.element("caption", text: "Les 20 derniers lots")
                html.columnHeads(["Déposé le", "Fichier", "État", "Lignes"], numeric: ["Lignes"])
                html.element("tbody") { html in
                    for batch in recent {
                        html.element("tr") { html in
                            html.element("th", [("scope", "row")]) { html in
                                html.element("a", [("href", "/operateur/lots/\(batch.id!)")], text: FrenchFormat.moment(batch.createdAt))
                            }
                            html.element("td", text: batch.fileName)
                            html.element("td", text: state(batch.status))
                            html.element("td", [("class", "nombre")], text: "\(batch.doneRows) sur \(batch.totalRows)")
                        }
                    }
                }
            }
        }
    }

    /// The batch's progress; once done, its report. While it runs, the app's script refreshes the
    /// region in place (announced politely); without the script, a link reloads the page.
    static func progress(_ batch: OperatorBatch, operatorEmail: String?, csrf: String) -> Page {
        ConsolePage.page("Lot du \(FrenchFormat.moment(batch.createdAt))", section: .batch, csrf: csrf) { html in
            html.element(
                "p", text: "Fichier \(batch.fileName), déposé par \(operatorEmail ?? "un opérateur") : \(batch.totalRows) ligne(s).")
            html.element(
                "div", [("id", "suivi-lot"), ("aria-live", "polite"), ("data-suivi", batch.status == .running ? "" : nil)]
            ) { html in
                html.element("p", [("class", "total")]) { html in
                    html.element(
                        "label", [("for", "avancement")],
                        text: state(batch.status) + " : \(batch.doneRows) ligne(s) traitée(s) sur \(batch.totalRows)")
                }
                html.element(
                    "progress", [("id", "avancement"), ("max", "\(max(1, batch.totalRows))"), ("value", "\(batch.doneRows)")],
                    text: "\(batch.doneRows) sur \(batch.totalRows)")
                if batch.status == .running {
                    html.element("p") { html in html.element("a", [("href", "/operateur/lots/\(batch.id!)")], text: "Actualiser") }
                } else {
                    report(batch, &html)
                }
            }
        }
    }

    private static func report(_ batch: OperatorBatch, _ html: inout HTMLWriter) {
        let rows = batch.reportRows
        let counts = Dictionary(grouping: rows, by: \.outcome).mapValues(\.count)
        html.element(
            "p",
            text:
                "Bilan : \(counts["migrated"] ?? 0) rattachée(s), \(counts["already_migrated"] ?? 0) déjà rattachée(s), \(counts["refused"] ?? 0) refusée(s)."
                + (batch.status == .interrupted
                    ? " Le serveur s'est arrêté avant la fin : les lignes absentes du rapport n'ont pas été traitées." : ""))
        html.element("p") { html in
            html.element(
                "a", [("href", "/operateur/lots/\(batch.id!)/rapport.csv"), ("download", "")], text: "Télécharger le rapport (CSV)")
        }
        html.table(label: "Rapport du lot") { html in
            html.element("caption", text: "Rapport ligne par ligne")
            html.columnHeads(["Ligne", "E-mail du client", "Résultat", "Détail"], numeric: ["Ligne"])
            html.element("tbody") { html in
                for row in rows {
                    html.element("tr") { html in
                        html.element("th", [("scope", "row"), ("class", "nombre")], text: "\(row.line)")
                        html.element("td", text: row.email)
                        html.element("td", text: row.outcomeWords.prefix(1).uppercased() + row.outcomeWords.dropFirst())
                        html.element("td", text: row.detail)
                    }
                }
            }
        }
    }

    private static func state(_ status: OperatorBatch.Status) -> String {
        switch status {
        case .running: return "En cours"
        case .done: return "Terminé"
        case .interrupted: return "Interrompu"
        }
    }
}
